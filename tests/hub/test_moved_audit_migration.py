"""The audit entry moved from `coordinators` into hub's `audit` app, keeping its table (coordinators_auditentry).

A database made before the move (coordinators' migrations up to 0002, with audit entries and a group
allowed to view them through the old content type) is migrated to the new layout in a separate process,
as `make run` or a deploy would: every entry is found again through `hub.audit.models.AuditEntry`, the
content type (and so the group's permission) follows, the new columns start empty, and running `migrate`
again changes nothing. Runs on either database (`make test`); CI runs it on PostgreSQL.
"""

import json
import textwrap

import pytest

from tests.hub.test_moved_models_migration import _manage, _run, old_database  # noqa: F401 - the fixture
from tests.support import server_env

pytestmark = pytest.mark.services

OLD_LAYOUT = textwrap.dedent('''
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
    crec = Region.objects.create(code="crec", name="CREC")
    hartford = District.objects.create(name="Hartford", slug="hartford", region=crec)
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

NEW_LAYOUT = textwrap.dedent('''
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


def test_a_database_made_before_the_audit_move_keeps_every_entry_and_migrates_twice_without_error(
        old_database):  # noqa: F811 - the fixture imported above
    env = server_env(old_database)
    assert json.loads(_run(OLD_LAYOUT, env)) == {"entries": 2}

    _manage("migrate", "--no-input", env=env)
    found = json.loads(_run(NEW_LAYOUT, env))

    assert found["entries"] == [["case.view", "7", "Hartford", "", None],
                                ["cases.export", "", None, "all cases in scope", None]]
    assert found["table"] == "coordinators_auditentry"
    assert found["hartford_trail"] == ["case.view"] and found["carla_trail"] == 2
    # The content type moved with the model, so the permission given on it still applies.
    assert found["entry_type"] == ["audit"] and found["permission"] == "audit"
    assert found["auditors_may"] == [["audit", "view_auditentry"]]

    again = _manage("migrate", "--no-input", env=env)
    assert "No migrations to apply" in again
    assert json.loads(_run(NEW_LAYOUT, env)) == found
    assert "No changes detected" in _manage("makemigrations", "--check", "--dry-run", env=env)
