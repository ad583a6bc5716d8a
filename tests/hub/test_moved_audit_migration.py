"""The audit entry moved from `coordinators` into hub's `audit` app, keeping its table (coordinators_auditentry).

A database made before the move (coordinators' migrations up to 0002, with audit entries and a group
allowed to view them through the old content type) is migrated to the new layout in a separate process,
as `make run` or a deploy would: every entry is found again through `hub.audit.models.AuditEntry`, the
content type (and so the group's permission) follows, the new columns start empty, and running `migrate`
again changes nothing. Runs on either database (`make test`); CI runs it on PostgreSQL. The database
and its upgrade are shared with the other move's test (tests.hub.upgrades).
"""

import pytest

pytestmark = pytest.mark.services


def test_a_database_made_before_the_audit_move_keeps_every_entry_and_migrates_twice_without_error(upgraded):
    assert upgraded["before"]["audit"] == {"entries": 2}
    found = upgraded["found"]["audit"]

    assert found["entries"] == [["case.view", "7", "Hartford", "", None],
                                ["cases.export", "", None, "all cases in scope", None]]
    assert found["table"] == "coordinators_auditentry"
    assert found["hartford_trail"] == ["case.view"] and found["carla_trail"] == 2
    # The content type moved with the model, so the permission given on it still applies.
    assert found["entry_type"] == ["audit"] and found["permission"] == "audit"
    assert found["auditors_may"] == [["audit", "view_auditentry"]]

    assert "No migrations to apply" in upgraded["again"]
    assert upgraded["found_again"]["audit"] == found
    assert "No changes detected" in upgraded["makemigrations"]
