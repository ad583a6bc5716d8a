"""One database made before the models moved, upgraded once for the tests of every move.

Before: hub's migrations up to 0003 (rooms, memberships, messages, mentions, privacy requests and a
permission on the old content types, before they moved to `hub.discussion` and `hub.privacy`) and
coordinators' up to 0002 (audit entries and a group allowed to view them, before the entry moved to
`hub.audit`): a database a Hub of that time made. It is migrated to today's layout in a separate process,
as `make run` or a deploy would, read through today's models, migrated again (nothing to apply) and read
again, and `makemigrations --check` runs on it: each move's test (tests/hub/test_moved_*_migration.py)
asserts on its part. One upgrade for both: each used to build its own, a full `migrate` in a subprocess.
"""

import json
import os
import subprocess
import textwrap

from tests.support import PYTHON, ROOT, postgres_database, server_env

BEFORE_THE_DISCUSSION_MOVE = textwrap.dedent('''
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

BEFORE_THE_AUDIT_MOVE = textwrap.dedent('''
    import datetime, json, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "coordinators", "0002_boardopening_volunteer", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("coordinators", "0002_boardopening_volunteer")).apps
    User, ContentType, Permission = (old.get_model("auth", "User"), old.get_model("contenttypes", "ContentType"),
                                     old.get_model("auth", "Permission"))
    Region, District = old.get_model("hub", "Region"), old.get_model("hub", "District")
    AuditEntry = old.get_model("coordinators", "AuditEntry")

    carla = User.objects.create(username="carla", email="carla@example.org", password="!")
    crec, _ = Region.objects.get_or_create(code="crec", defaults={"name": "CREC"})
    hartford, _ = District.objects.get_or_create(slug="hartford", defaults={"name": "Hartford", "region": crec})
    at = datetime.datetime(2026, 3, 2, 15, 30, tzinfo=datetime.timezone.utc)
    AuditEntry.objects.create(at=at, actor=carla, action="case.view", object_type="studentcase", object_id="7",
                              district=hartford)
    AuditEntry.objects.create(at=at, actor=carla, action="cases.export", object_type="studentcase",
                              district=None, detail="all cases in scope")
    entry_type = ContentType.objects.get(app_label="coordinators", model="auditentry")
    view_entries = Permission.objects.get(content_type=entry_type, codename="view_auditentry")
    old.get_model("auth", "Group").objects.create(name="Auditors").permissions.add(view_entries)
    print(json.dumps({"entries": AuditEntry.objects.count()}))
''')

DISCUSSION_AFTER = textwrap.dedent('''
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

AUDIT_AFTER = textwrap.dedent('''
    import json, django
    django.setup()
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from hub.audit.models import AuditEntry
    from hub.audit.selectors import entries_concerning
    from hub.models import District

    carla = User.objects.get(username="carla")
    print(json.dumps({
        "entries": sorted(AuditEntry.objects.values_list("action", "object_id", "district__name", "detail", "rows")),
        "table": AuditEntry._meta.db_table,
        "hartford_trail": sorted(entries_concerning(districts=District.objects.filter(name="Hartford"),
                                                    actor=None).values_list("action", flat=True)),
        "carla_trail": entries_concerning(districts=District.objects.none(), actor=carla).count(),
        "entry_type": list(ContentType.objects.filter(model="auditentry").values_list("app_label", flat=True)),
        "auditors_may": list(Group.objects.get(name="Auditors").permissions.values_list(
            "content_type__app_label", "codename")),
        "permission": Permission.objects.get(codename="view_auditentry").content_type.app_label,
    }))
''')

READERS = {"discussion": DISCUSSION_AFTER, "audit": AUDIT_AFTER}


def _run(code: str, env: dict) -> str:
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def _manage(*args: str, env: dict) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def upgrade_once(tmp_folder) -> dict:
    """{"before": {...}, "found": {reader: ...}, "again": migrate's output, "found_again": {...},
    "makemigrations": its output}, for a database made before the moves (PostgreSQL when DATABASE_URL
    names one, else an SQLite file in `tmp_folder`)."""
    base = os.environ.get("DATABASE_URL", "")
    drop = None
    if base.startswith(("postgres", "pgsql")):
        url, drop = postgres_database(base)
    else:
        url = f"sqlite:///{tmp_folder / 'before-the-moves.sqlite3'}"
    try:
        env = server_env(url)
        before = {"discussion": json.loads(_run(BEFORE_THE_DISCUSSION_MOVE, env)),
                  "audit": json.loads(_run(BEFORE_THE_AUDIT_MOVE, env))}
        _manage("migrate", "--no-input", env=env)
        found = {name: json.loads(_run(code, env)) for name, code in READERS.items()}
        again = _manage("migrate", "--no-input", env=env)
        found_again = {name: json.loads(_run(code, env)) for name, code in READERS.items()}
        makemigrations = _manage("makemigrations", "--check", "--dry-run", env=env)
    finally:
        if drop:
            drop()
    return {"before": before, "found": found, "again": again, "found_again": found_again,
            "makemigrations": makemigrations}
