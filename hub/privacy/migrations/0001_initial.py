"""The privacy models move here from the `hub` app, keeping their tables.

The tables (hub_privacyrequest) were made by hub's migrations and stay exactly as
they are: this migration only tells Django's state that the models now belong to `privacy`
(SeparateDatabaseAndState with no database operations), and renames their content types so that
permissions and admin history follow them. Nothing is copied or dropped, so no row can be lost; run
twice, or on a database made after the move, it changes nothing.
"""


from django.db import migrations, models


MOVED = ['privacyrequest']


def content_types_follow(apps, schema_editor):
    """hub.<model> content types become privacy.<model> (permissions and admin history keep pointing at
    them), unless the new one exists already (then the old one is left for remove_stale_contenttypes)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label="privacy", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="hub", model=model).update(app_label="privacy")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="hub", model=model).exists():
            ContentType.objects.using(db).filter(app_label="privacy", model=model).update(app_label="hub")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('hub', '0003_privacy_request'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PrivacyRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True)),
                        ('kind', models.CharField(choices=[('export', 'Export'), ('erase', 'Erasure'), ('retention', 'Retention purge')], max_length=12)),
                        ('subject_kind', models.CharField(help_text='person, family, student, or cases (retention)', max_length=12)),
                        ('subject_ref', models.CharField(db_index=True, help_text='Keyed hash of the subject (hub.privacy.subject_ref).', max_length=64)),
                        ('operator', models.CharField(help_text='Who asked for it (name, ticket).', max_length=200)),
                        ('outcome', models.CharField(choices=[('done', 'Done'), ('dry_run', 'Dry run (nothing changed)'), ('refused', 'Refused')], default='done', max_length=10)),
                        ('counts', models.JSONField(blank=True, default=dict, help_text='Rows per model (app_label.Model).')),
                        ('detail', models.CharField(blank=True, max_length=1000)),
                    ],
                    options={
                        'db_table': 'hub_privacyrequest',
                        'ordering': ['-at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
