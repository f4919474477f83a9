"""What the import endpoints read and answer, for the OpenAPI schema (the views build
their answers with selectors; these serializers describe them)."""

from rest_framework import serializers

from .models import ImportJob

# The record types an import can create (also named ImportEntityEnum in the schema).
IMPORT_ENTITIES = [("contact", "contact"), ("company", "company")]


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_label = serializers.CharField(help_text="The status in the caller's language.")
    percent = serializers.IntegerField(min_value=0, max_value=100)
    total_rows = serializers.IntegerField()
    processed_rows = serializers.IntegerField()
    created = serializers.IntegerField(help_text="Records created.")
    updated = serializers.IntegerField(help_text="Records updated (matched by e-mail or domain).")
    failed = serializers.IntegerField(help_text="Rows refused; see the error report.")
    message = serializers.CharField(allow_blank=True)
    finished = serializers.BooleanField()
    has_error_report = serializers.BooleanField()
    entity = serializers.ChoiceField(choices=IMPORT_ENTITIES)
    mode = serializers.CharField(help_text="`all` (all or nothing) or `skip` (skip invalid rows).")
    file_name = serializers.CharField()
    encoding = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    mapping = serializers.DictField(child=serializers.CharField(), help_text="Column index -> field key.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)
    undo_skipped = serializers.IntegerField(allow_null=True, help_text="Records undo left alone (changed since).")


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (any common encoding and delimiter) or XLSX, at most 50 MB.")
    entity = serializers.ChoiceField(choices=IMPORT_ENTITIES, default="contact")
    mode = serializers.ChoiceField(choices=["all", "skip"], required=False,
                                   help_text="`all`: nothing is written if a row is invalid. `skip`: valid rows are.")
    mapping = serializers.CharField(required=False,
                                    help_text='JSON object: column index -> field key, e.g. {"0": "first_name"}. '
                                              "Guessed from the header row when left out.")
    start = serializers.BooleanField(default=True, help_text="Start at once (default) or leave it mapped.")
