"""Students' first names in NFC (hub.text.normalise_name), as `CaseData` now stores them. Idempotent:
a name already in NFC is left as it is. Nothing to undo."""

import unicodedata

from django.db import migrations


def names_to_nfc(apps, schema_editor):
    StudentCase = apps.get_model("coordinators", "StudentCase")
    changed = []
    for case in StudentCase.objects.only("pk", "first_name").iterator(chunk_size=2000):
        name = unicodedata.normalize("NFC", case.first_name or "")
        if name != case.first_name:
            case.first_name = name
            changed.append(case)
    StudentCase.objects.bulk_update(changed, ["first_name"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [("coordinators", "0005_auditentry_moved_to_audit")]

    operations = [migrations.RunPython(names_to_nfc, migrations.RunPython.noop, elidable=True)]
