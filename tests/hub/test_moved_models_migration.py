"""The discussion and privacy models moved out of `hub` into their own apps, keeping their tables.

A database made before the move (hub's migrations up to 0003, with rooms, memberships, messages,
mentions, privacy requests and a permission on the old content type) is migrated to the new layout in
a separate process, as `make run` or a deploy would: every row is found again through the new models,
the content types (and so a group's permission on them) follow, and running `migrate` again changes nothing.
Runs on either database (`make test`); CI runs it on PostgreSQL, the database a deploy upgrades.
The database and its upgrade are shared with the other move's test (tests.hub.upgrades).
"""

import pytest

pytestmark = pytest.mark.services


def test_a_database_made_before_the_move_keeps_every_row_and_migrates_twice_without_error(upgraded):
    assert upgraded["before"]["discussion"] == {"rooms": 2, "messages": 2}
    found = upgraded["found"]["discussion"]

    assert found["rooms"] == ["community", "district-hartford"]
    assert found["messages"] == [["community", "marcus", "Welcome, everyone"],
                                 ["district-hartford", "ana", "Hello @marcus"]]
    assert found["mentions"] == [["a1", "marcus", True]]
    assert found["memberships"] == [["district-hartford", "marcus"]] and found["read_up_to_first"]
    assert found["privacy_requests"] == [["Jo Lee, ticket 42", "ref-1", {"hub.Message": 1}]]
    # The content type moved with the model, so the permission given on it still applies.
    assert found["room_type"] == ["discussion"] and found["permission"] == "discussion"
    assert found["moderators_may"] == [["discussion", "change_room"]]

    assert "No migrations to apply" in upgraded["again"]
    assert upgraded["found_again"]["discussion"] == found
    assert "No changes detected" in upgraded["makemigrations"]
