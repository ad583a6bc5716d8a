"""The discussion and privacy models moved out of `hub` into their own apps, keeping their tables.

A database made before the move (hub's migrations up to 0003, with rooms, memberships, messages,
mentions, privacy requests and a permission on the old content type) is migrated to the new layout in
a separate process, as `make run` or a deploy would: every row is found again through the new models,
the content types (and so a group's permission on them) follow, and running `migrate` again changes nothing.
Runs on either database (`make test`); CI runs it on PostgreSQL, the database a deploy upgrades.
"""

import json
import os
import textwrap

import pytest

from tests.support import PYTHON, ROOT, postgres_database, server_env

pytestmark = pytest.mark.services

OLD_LAYOUT = textwrap.dedent('''
    import json, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    call_command("migrate", "hub", "0003_privacy_request", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("hub", "0003_privacy_request")).apps
    User, ContentType, Permission = (old.get_model("auth", "User"), old.get_model("contenttypes", "ContentType"),
                                     old.get_model("auth", "Permission"))
    Region, District = old.get_model("hub", "Region"), old.get_model("hub", "District")
    Room, Message = old.get_model("hub", "Room"), old.get_model("hub", "Message")
    Mention, Membership = old.get_model("hub", "Mention"), old.get_model("hub", "RoomMembership")
    PrivacyRequest = old.get_model("hub", "PrivacyRequest")

    ana = User.objects.create(username="ana", email="ana@example.org", password="!")
    marcus = User.objects.create(username="marcus", email="marcus@example.org", password="!")
    crec = Region.objects.create(code="crec", name="CREC")
    hartford = District.objects.create(name="Hartford", slug="hartford", region=crec)
    room = Room.objects.create(kind="district", slug="district-hartford", title="Hartford", district=hartford)
    community = Room.objects.create(kind="community", slug="community", title="Statewide community")
    first = Message.objects.create(room=room, author=ana, client_id="a1", body="Hello @marcus")
    Message.objects.create(room=community, author=marcus, client_id="m1", body="Welcome, everyone")
    Mention.objects.create(message=first, user=marcus, emailed=True)
    Membership.objects.create(room=room, user=marcus, last_read_id=first.pk)
    PrivacyRequest.objects.create(at=timezone.now(), kind="export", subject_kind="person", subject_ref="ref-1",
                                  operator="Jo Lee, ticket 42", counts={"hub.Message": 1})
    room_type, _ = ContentType.objects.get_or_create(app_label="hub", model="room")
    change_room, _ = Permission.objects.get_or_create(content_type=room_type, codename="change_room",
                                                      defaults={"name": "Can change room"})
    old.get_model("auth", "Group").objects.create(name="Discussion moderators").permissions.add(change_room)
    print(json.dumps({"rooms": 2, "messages": 2}))
''')

NEW_LAYOUT = textwrap.dedent('''
    import json, django
    django.setup()
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from hub.discussion.models import Mention, Message, Room, RoomMembership
    from hub.privacy.models import PrivacyRequest

    print(json.dumps({
        "rooms": sorted(Room.objects.values_list("slug", flat=True)),
        "messages": sorted(Message.objects.values_list("room__slug", "author__username", "body")),
        "mentions": list(Mention.objects.values_list("message__client_id", "user__username", "emailed")),
        "memberships": list(RoomMembership.objects.values_list("room__slug", "user__username")),
        "read_up_to_first": RoomMembership.objects.get().last_read_id == Message.objects.get(client_id="a1").pk,
        "privacy_requests": list(PrivacyRequest.objects.values_list("operator", "subject_ref", "counts")),
        "room_type": list(ContentType.objects.filter(model="room").values_list("app_label", flat=True)),
        "permission": Permission.objects.get(codename="change_room").content_type.app_label,
        "moderators_may": list(Group.objects.get(name="Discussion moderators").permissions.values_list(
            "content_type__app_label", "codename")),
    }))
''')


def _run(code: str, env: dict) -> str:
    import subprocess

    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def _manage(*args: str, env: dict) -> str:
    import subprocess

    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def old_database(tmp_path):
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres", "pgsql")):
        url, drop = postgres_database(base)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'before-the-move.sqlite3'}"


def test_a_database_made_before_the_move_keeps_every_row_and_migrates_twice_without_error(old_database):
    env = server_env(old_database)
    _run(OLD_LAYOUT, env)

    _manage("migrate", "--no-input", env=env)
    found = json.loads(_run(NEW_LAYOUT, env))

    assert found["rooms"] == ["community", "district-hartford"]
    assert found["messages"] == [["community", "marcus", "Welcome, everyone"],
                                 ["district-hartford", "ana", "Hello @marcus"]]
    assert found["mentions"] == [["a1", "marcus", True]]
    assert found["memberships"] == [["district-hartford", "marcus"]] and found["read_up_to_first"]
    assert found["privacy_requests"] == [["Jo Lee, ticket 42", "ref-1", {"hub.Message": 1}]]
    # The content type moved with the model, so the permission given on it still applies.
    assert found["room_type"] == ["discussion"] and found["permission"] == "discussion"
    assert found["moderators_may"] == [["discussion", "change_room"]]

    again = _manage("migrate", "--no-input", env=env)
    assert "No migrations to apply" in again
    assert json.loads(_run(NEW_LAYOUT, env)) == found
    assert "No changes detected" in _manage("makemigrations", "--check", "--dry-run", env=env)
