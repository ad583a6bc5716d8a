"""The audit entry moves here from the `coordinators` app, keeping its table.

The table (coordinators_auditentry) was made by coordinators' first migration and stays exactly as it
is: this migration only tells Django's state that the model now belongs to `audit` (SeparateDatabaseAndState
with no database operations), and renames its content type so that permissions and admin history follow
it. Nothing is copied or dropped, so no row can be lost; run twice, or on a database made after the
move, it changes nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["auditentry"]


def content_types_follow(apps, schema_editor):
    """coordinators.auditentry becomes audit.auditentry (permissions and admin history keep pointing at it),
    unless the new one exists already (then the old one is left for remove_stale_contenttypes)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label="audit", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="coordinators", model=model).update(app_label="audit")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="coordinators", model=model).exists():
            ContentType.objects.using(db).filter(app_label="audit", model=model).update(app_label="coordinators")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("hub", "0001_initial"),
        ("coordinators", "0002_boardopening_volunteer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True)),
                        ("action", models.CharField(max_length=40)),
                        ("object_type", models.CharField(blank=True, max_length=40)),
                        ("object_id", models.CharField(blank=True, max_length=40)),
                        ("detail", models.CharField(blank=True, max_length=500)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                    related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("district", models.ForeignKey(blank=True, null=True,
                                                       on_delete=django.db.models.deletion.SET_NULL,
                                                       related_name="+", to="hub.district")),
                    ],
                    options={
                        "db_table": "coordinators_auditentry",
                        "verbose_name_plural": "audit entries",
                        "ordering": ["-at", "-pk"],
                        "indexes": [models.Index(fields=["district", "-at"], name="audit_district_at")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
