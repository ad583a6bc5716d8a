"""The hostile suite covers every view of our apps: each URL name found by walking `get_resolver()` has an
entry in `tests/hostile/endpoints.ENDPOINTS` or a reason in `REVIEWED_NO_INPUT`.

In scope: hub, discussion, courses (/training/ and the Wagtail course and module pages), sessions,
roundtable, coordinators, accounts (sign-in, password change and reset), two-step pages, set_language.
Out of scope: third-party admin (/admin/, /django-admin/, filer, Wagtail documents), except their
sign-in forms, which test_get_queries posts to.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile.conftest import compare, snapshot
from tests.hostile.endpoints import ENDPOINTS, REVIEWED_NO_INPUT

OUT_OF_SCOPE_PREFIXES = ("admin/", "django-admin/", "filer/", "documents/", "^smedia/", "smedia/")
OUR_MODULES = ("hub.", "courses.", "sessions.", "roundtable.", "coordinators.", "django.contrib.auth.",
               "django.views.i18n", "wagtail.views")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, getattr(pattern.callback, "__module__", "")


def our_views() -> dict[str, str]:
    found = {}
    for route, name, module in _walk(get_resolver().url_patterns):
        if route.startswith(OUT_OF_SCOPE_PREFIXES) or not module.startswith(OUR_MODULES):
            continue
        found[name or route] = route
    return found


def test_every_view_of_our_apps_has_hostile_cases_or_a_reason():
    missing = sorted(f"{name} (/{route})" for name, route in our_views().items()
                     if name not in ENDPOINTS and name not in REVIEWED_NO_INPUT)
    assert not missing, "views with no hostile cases and no reviewed reason: " + ", ".join(missing)


def test_the_table_names_only_views_that_exist():
    names = set(our_views())
    stale = sorted((set(ENDPOINTS) | set(REVIEWED_NO_INPUT)) - names)
    assert not stale, f"entries for URL names that no longer exist: {stale}"


def test_every_exemption_gives_a_reason():
    assert all(len(reason.split()) >= 2 for reason in REVIEWED_NO_INPUT.values())


def test_the_table_walks_hundreds_of_inputs():
    count = sum(len(inputs) for ep in ENDPOINTS.values() for inputs in ep.fields.values())
    count += sum(len(ep.urls) for ep in ENDPOINTS.values())
    assert count >= 300, count


def test_the_snapshot_sees_a_changed_row_and_a_new_row(w):
    """The unchanged-database check can fail: it notices an edited row and an added row."""
    from hub.discussion.models import Message

    before = snapshot()
    Message.objects.filter(pk=w.messages["ana"].pk).update(body="changed")
    assert compare(before, snapshot()) == ["hub_message: rows changed"]
    Message.objects.create(room=w.rooms["hartford"], author=w.user("ana"), client_id="new-1", body="new")
    assert compare(before, snapshot()) == ["hub_message: 3 -> 4 rows"]
    assert compare(before, snapshot(), expect={"hub_message": 1}) == []


def test_the_quick_no_write_check_does_not_hide_a_write(w, unchanged):
    """`unchanged` skips the full comparison only when the connection wrote nothing: an edit, even
    one a rolled-back savepoint undid, still leads to the comparison and fails the block."""
    from django.db import transaction

    from hub.discussion.models import Message

    with pytest.raises(AssertionError, match="hub_message: rows changed"), unchanged():
        Message.objects.filter(pk=w.messages["ana"].pk).update(body="changed")
    Message.objects.filter(pk=w.messages["ana"].pk).update(body=w.messages["ana"].body)
    with unchanged():  # undone by its savepoint: compared in full, and equal
        try:
            with transaction.atomic():
                Message.objects.filter(pk=w.messages["ana"].pk).update(body="undone")
                raise RuntimeError
        except RuntimeError:
            pass


@pytest.mark.parametrize("sql", ["UPDATE hub_message SET body = 'raw' WHERE id = %s",
                                 "  with m as (select %s as id) update hub_message set body = 'cte' "
                                 "where id in (select id from m)"])
def test_a_write_in_raw_sql_is_seen_too(w, unchanged, sql):
    """The quick check reads every statement the connection sends: raw SQL and a write inside a WITH
    (which does not start with its verb) lead to the full comparison."""
    from django.db import connection

    with pytest.raises(AssertionError, match="hub_message: rows changed"), unchanged():
        with connection.cursor() as cursor:
            cursor.execute(sql, [w.messages["ana"].pk])


@pytest.mark.parametrize("name", ["coordinators:case_new", "roundtable:signup"])
def test_a_missing_entry_would_be_named(name, monkeypatch):
    monkeypatch.delitem(ENDPOINTS, name)
    with pytest.raises(AssertionError, match=name):
        test_every_view_of_our_apps_has_hostile_cases_or_a_reason()
