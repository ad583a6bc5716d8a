"""Room, RoomMembership, Message, Mention and PrivacyRequest now belong to the `discussion` and
`privacy` apps (hub/discussion, hub/privacy). Their tables stay as they are: this only removes the
models from hub's migration state, after the new apps' first migrations have taken them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('hub', '0003_privacy_request'),
        ('discussion', '0001_initial'),
        ('privacy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Mention'),
                migrations.DeleteModel(name='RoomMembership'),
                migrations.DeleteModel(name='Message'),
                migrations.DeleteModel(name='Room'),
                migrations.DeleteModel(name='PrivacyRequest'),
            ],
            database_operations=[],
        ),
    ]
