"""People's names in NFC (hub.text.normalise_name): a name typed on a keyboard that sends NFD (e + a
combining accent) becomes the same code points as the name typed anywhere else. Idempotent: a name
already in NFC is left as it is; running it again changes nothing. Nothing to undo."""

import unicodedata

from django.conf import settings
from django.db import migrations

FIELDS = ("first_name", "last_name")


def names_to_nfc(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    changed = []
    for user in User.objects.only("pk", *FIELDS).iterator(chunk_size=2000):
        before = [getattr(user, name) for name in FIELDS]
        for name in FIELDS:
            setattr(user, name, unicodedata.normalize("NFC", getattr(user, name) or ""))
        if [getattr(user, name) for name in FIELDS] != before:
            changed.append(user)
    User.objects.bulk_update(changed, FIELDS, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("hub", "0005_user_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(names_to_nfc, migrations.RunPython.noop, elidable=True)]
