"""The workspace's own AI key is stored encrypted (config.sealing): every stored key is
sealed in place and the field becomes `api_key_sealed` (still the column "api_key", so a
migrated schema keeps the same columns in the same places as one cloned from the
template)."""

from django.db import migrations, models


def seal_keys(apps, schema_editor):
    from config.sealing import seal

    settings_model = apps.get_model("assistant", "AssistantSettings")
    for row in settings_model.objects.using(schema_editor.connection.alias).exclude(api_key=""):
        row.api_key = seal(row.api_key)
        row.save(update_fields=["api_key"])


def open_keys(apps, schema_editor):
    from config.sealing import SealBroken, unseal

    settings_model = apps.get_model("assistant", "AssistantSettings")
    for row in settings_model.objects.using(schema_editor.connection.alias).exclude(api_key=""):
        try:
            row.api_key = unseal(row.api_key)[:500]
        except SealBroken:
            row.api_key = ""
        row.save(update_fields=["api_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("assistant", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assistantsettings",
            name="api_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_keys, open_keys),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="assistantsettings", old_name="api_key", new_name="api_key_sealed"),
                migrations.AlterField(
                    model_name="assistantsettings",
                    name="api_key_sealed",
                    field=models.TextField(blank=True, db_column="api_key", editable=False),
                ),
            ],
            database_operations=[],
        ),
    ]
