"""The discussion models move here from the `hub` app, keeping their tables.

The tables (hub_room, hub_roommembership, hub_message, hub_mention) were made by hub's migrations and stay exactly as
they are: this migration only tells Django's state that the models now belong to `discussion`
(SeparateDatabaseAndState with no database operations), and renames their content types so that
permissions and admin history follow them. Nothing is copied or dropped, so no row can be lost; run
twice, or on a database made after the move, it changes nothing.
"""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['room', 'roommembership', 'message', 'mention']


def content_types_follow(apps, schema_editor):
    """hub.<model> content types become discussion.<model> (permissions and admin history keep pointing at
    them), unless the new one exists already (then the old one is left for remove_stale_contenttypes)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label="discussion", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="hub", model=model).update(app_label="discussion")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="hub", model=model).exists():
            ContentType.objects.using(db).filter(app_label="discussion", model=model).update(app_label="hub")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('hub', '0003_privacy_request'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Room',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kind', models.CharField(choices=[('community', 'Community'), ('region', 'Region'), ('district', 'District'), ('session', 'Live session'), ('trainers', 'Trainers'), ('coordinators', 'Coordinators')], max_length=20)),
                        ('slug', models.SlugField(max_length=80, unique=True)),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.CharField(blank=True, max_length=300)),
                        ('external_ref', models.CharField(blank=True, default='', help_text='For session rooms: what the room belongs to, e.g. occurrence:123.', max_length=80)),
                        ('opens_at', models.DateTimeField(blank=True, null=True)),
                        ('closes_at', models.DateTimeField(blank=True, null=True)),
                        ('district', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='rooms', to='hub.district')),
                        ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='rooms', to='hub.region')),
                    ],
                    options={
                        'db_table': 'hub_room',
                        'ordering': ['kind', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('client_id', models.CharField(help_text="Chosen by the sender's client: a resend is stored once.", max_length=64)),
                        ('body', models.TextField()),
                        ('edited_at', models.DateTimeField(blank=True, null=True)),
                        ('deleted_at', models.DateTimeField(blank=True, null=True)),
                        ('hidden_at', models.DateTimeField(blank=True, null=True)),
                        ('hidden_reason', models.CharField(blank=True, max_length=300)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to=settings.AUTH_USER_MODEL)),
                        ('hidden_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='discussion.room')),
                    ],
                    options={
                        'db_table': 'hub_message',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='RoomMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('last_read_id', models.BigIntegerField(default=0)),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='discussion.room')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='room_memberships', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'hub_roommembership',
                    },
                ),
                migrations.CreateModel(
                    name='Mention',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('emailed', models.BooleanField(default=False)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentions', to=settings.AUTH_USER_MODEL)),
                        ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentions', to='discussion.message')),
                    ],
                    options={
                        'db_table': 'hub_mention',
                        'constraints': [models.UniqueConstraint(fields=('message', 'user'), name='mention_once_per_message')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'region')), fields=('region',), name='room_one_per_region'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'district')), fields=('district',), name='room_one_per_district'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(condition=models.Q(('external_ref', ''), _negated=True), fields=('external_ref',), name='room_one_per_external_ref'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.CheckConstraint(condition=models.Q(('opens_at__isnull', True), ('closes_at__isnull', True), ('opens_at__lt', models.F('closes_at')), _connector='OR'), name='room_opens_before_it_closes'),
                ),
                migrations.AddIndex(
                    model_name='message',
                    index=models.Index(fields=['room', 'id'], name='message_room_id'),
                ),
                migrations.AddConstraint(
                    model_name='message',
                    constraint=models.UniqueConstraint(fields=('author', 'client_id'), name='message_once_per_client_id'),
                ),
                migrations.AddConstraint(
                    model_name='roommembership',
                    constraint=models.UniqueConstraint(fields=('room', 'user'), name='room_membership_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
