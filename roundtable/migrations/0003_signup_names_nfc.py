"""Families' names on their sign-ups in NFC (hub.text.normalise_name), as the sign-up service now
stores them. Idempotent: a name already in NFC is left as it is. Nothing to undo."""

import unicodedata

from django.db import migrations


def names_to_nfc(apps, schema_editor):
    FamilySignup = apps.get_model("roundtable", "FamilySignup")
    changed = []
    for signup in FamilySignup.objects.only("pk", "name").iterator(chunk_size=2000):
        name = unicodedata.normalize("NFC", signup.name or "")
        if name != signup.name:
            signup.name = name
            changed.append(signup)
    FamilySignup.objects.bulk_update(changed, ["name"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [("roundtable", "0002_insight_form_token")]

    operations = [migrations.RunPython(names_to_nfc, migrations.RunPython.noop, elidable=True)]
