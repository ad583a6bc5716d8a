"""Every form of our apps (tests/hostile/endpoints.py), one hostile value at a time: the view refuses it
with a message the person can read (never a 500) and the database is unchanged.

Scope: our apps (hub, discussion, courses and their Wagtail pages, sessions, roundtable, coordinators),
the sign-in, password-reset and two-step pages. Third-party admin (/admin/, /django-admin/, filer) is out
of scope except their sign-in forms (test_get_queries).
"""

import html

import pytest
from django.contrib.messages import constants, get_messages

from tests.hostile import catalogue as cat
from tests.hostile.endpoints import ENDPOINTS

pytestmark = pytest.mark.hostile_input


def _placeholders(w, value):
    """Values that name other people's things, resolved in the world."""
    from hub.models import School

    table = {
        "__nh_school__": lambda: str(School.objects.filter(district=w.new_haven).order_by("pk").first().pk),
        "__jordan__": lambda: str(w.people["jordan"].pk),
        "__ana__": lambda: str(w.people["ana"].pk),
        "__nh_case__": lambda: str(w.nh_case.pk),
        "__yesterday__": lambda: (__import__("django.utils.timezone", fromlist=["localdate"]).localdate()
                                  - __import__("datetime").timedelta(days=1)).isoformat(),
        "__nh_district__": lambda: str(w.new_haven.pk),
        "__hartford_district__": lambda: str(w.hartford.pk),
    }
    if isinstance(value, str) and value in table:
        return table[value]()
    return value


def _field_cases():
    for name, ep in ENDPOINTS.items():
        for field_name, inputs in ep.fields.items():
            for input_id, value in inputs:
                yield pytest.param(name, field_name, value, False, id=f"{name}|{field_name}|{input_id}")
        for field_name in ep.inert:
            for input_id, value in cat.INERT_TEXT:
                yield pytest.param(name, field_name, value, True, id=f"{name}|{field_name}|inert-{input_id}")


def _url_cases():
    for name, ep in ENDPOINTS.items():
        for url_id in ep.urls:
            yield pytest.param(name, url_id, id=f"{name}|url|{url_id}")


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]


def form_errors(response) -> list[str]:
    """Error texts of every form in the page's context."""
    texts = []
    for context in (response.context or []):
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in (value.values() if isinstance(value, dict) else []):
                errors = getattr(item, "errors", None)
                if hasattr(item, "is_bound") and errors:
                    texts += [str(e) for errors_of in errors.values() for e in errors_of]
    return list(dict.fromkeys(texts))


def assert_refused(response, mode: str, ok_status=(400,), posted=None):
    """The request was refused in the view's way, with a message the person sees."""
    status = response.status_code
    assert status < 500, f"server error {status}"
    page = response.content.decode("utf-8", "replace")
    if isinstance(posted, str) and "<" in posted:
        assert posted not in page, "the hostile markup came back unescaped"
    if status in (302, 303):
        assert mode in ("flash", "any"), f"redirected to {response['Location']} instead of refusing"
        assert error_messages(response), f"redirected to {response['Location']} without an error message"
        return "flash: " + " ".join(error_messages(response))
    assert 400 <= status < 500 or status in ok_status, f"status {status}"
    if 400 <= status < 500 and status != 400 or mode == "status":
        assert 400 <= status < 500, f"status {status}"
        assert "<h1" in page, "the refusal page has no heading"
        return f"status {status}"
    errors = form_errors(response)
    if not errors and status == 400:
        # A view that renders its own refusal (not a Django form): the message is on the page.
        assert 'role="alert"' in page or "error" in page.lower(), "400 without a message"
        return "400 page"
    assert errors, f"status {status} without a form error"
    shown = [e for e in errors if html.escape(e) in page or e in page]
    assert shown, f"form errors {errors!r} are not shown on the page"
    return "form: " + " ".join(shown)


@pytest.mark.parametrize(("endpoint", "field_name", "value", "inert"), list(_field_cases()))
def test_a_hostile_field_is_refused_and_changes_nothing(w, unchanged, endpoint, field_name, value, inert):
    ep = ENDPOINTS[endpoint]
    data = ep.valid(w)
    value = _placeholders(w, value)
    if field_name == "__attendance__":
        field_name = f"attendance-{w.registration.pk}"
    data[field_name] = value
    if inert:
        data.update(ep.breaker)
    client = w.client(ep.user)
    expect = ep.expect(field_name, value) if callable(ep.expect) else ep.expect
    with unchanged(expect=expect):
        response = getattr(client, ep.method)(ep.url(w), data)
        assert_refused(response, ep.refusal, ep.ok_status, posted=value)


@pytest.mark.parametrize(("endpoint", "url_id"), list(_url_cases()))
def test_someone_elses_or_a_missing_thing_is_refused(w, unchanged, endpoint, url_id):
    ep = ENDPOINTS[endpoint]
    client = w.client(ep.user)
    with unchanged(expect=ep.url_expect or None):
        response = client.post(ep.urls[url_id](w), ep.valid(w))
        assert_refused(response, ep.url_refusal, posted=None)
