"""The workspace's own AI key is stored encrypted (config.sealing): a sealed column is
added, every stored key is sealed into it, and the clear-text column is dropped."""

from django.db import migrations, models


def seal_keys(apps, schema_editor):
    from config.sealing import seal

    settings_model = apps.get_model("assistant", "AssistantSettings")
    for row in settings_model.objects.using(schema_editor.connection.alias).exclude(api_key=""):
        row.api_key_sealed = seal(row.api_key)
        row.save(update_fields=["api_key_sealed"])


def open_keys(apps, schema_editor):
    from config.sealing import SealBroken, unseal

    settings_model = apps.get_model("assistant", "AssistantSettings")
    for row in settings_model.objects.using(schema_editor.connection.alias).exclude(api_key_sealed=""):
        try:
            row.api_key = unseal(row.api_key_sealed)
        except SealBroken:
            row.api_key = ""
        row.save(update_fields=["api_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("assistant", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assistantsettings",
            name="api_key_sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_keys, open_keys),
        migrations.RemoveField(model_name="assistantsettings", name="api_key"),
    ]
