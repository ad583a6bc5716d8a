"""Every CSV of the project is made by hub.exports: spreadsheet-safe, UTF-8 with a byte-order mark,
streamed, a safe file name, never cached, and audited (before the first byte) when it names people."""

import re

import pytest
from django.http import StreamingHttpResponse

from hub.audit.models import AuditEntry
from hub.exports import ExportAudit, csv_response, safe_cell, safe_filename
from tests.test_architecture import ROOT, project_modules


def test_every_csv_download_of_the_project_goes_through_hub_exports():
    """No other module writes CSV or answers text/csv (reading uploaded CSV, csv.reader, is fine)."""
    writers = re.compile(r"text/csv|csv\.writer\(|csv\.DictWriter\(")
    offenders = sorted(name for name, path in project_modules().items()
                       if name != "hub.exports" and writers.search(path.read_text(encoding="utf-8")))
    assert offenders == []
    assert (ROOT / "hub" / "exports.py").exists()


@pytest.mark.django_db
def test_a_csv_is_streamed_utf8_with_a_byte_order_mark_a_safe_name_and_never_cached():
    response = csv_response(filename='Rosa Méndez "signups"/../x.csv', header=["Name"], rows=[["Rosa Méndez"]],
                            audit=None)
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode()) and "Rosa Méndez".encode() in body  # Excel reads UTF-8
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Rosa-Mendez-signups-.-x.csv"'
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == 0  # audit=None: a file naming nobody


@pytest.mark.django_db
def test_an_export_is_audited_before_its_first_byte_is_sent(django_user_model, orgs):
    user = django_user_model.objects.create_user("samira", password="x")
    hartford, new_haven = orgs["Hartford"], orgs["New Haven"]

    def rows():
        raise AssertionError("not read yet")
        yield  # pragma: no cover

    csv_response(filename="cases.csv", header=["id"], rows=rows(),
                 audit=ExportAudit(actor=user, action="cases.export", object_type="studentcase", rows=7,
                                   districts=[hartford.pk, new_haven.pk], filters="status=open"))
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.rows, entry.detail, entry.district) == (user, 7, "status=open", None)
    assert set(entry.districts.all()) == {hartford, new_haven}


def test_a_csv_response_must_say_whether_it_is_audited():
    with pytest.raises(TypeError):
        csv_response(filename="x.csv", header=["a"], rows=[])  # no audit=: refused, not silently unaudited


@pytest.mark.parametrize(("name", "safe"), [
    ("who-is-trained-2026-12-01.csv", "who-is-trained-2026-12-01.csv"),
    ("../../etc/passwd", "etc-passwd.csv"),
    ('a"b\r\nContent-Type: text/html', "a-b-Content-Type-text-html.csv"),
    ("Méndez", "Mendez.csv"),
    ("", "export.csv"),
    ("\u202eexe.csv", "exe.csv"),
])
def test_a_file_name_is_plain_ascii_without_paths_quotes_or_line_breaks(name, safe):
    assert safe_filename(name) == safe


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("\uff1d1+1", "'\uff1d1+1"), ("\ufe661", "'\ufe661"), ("\uff0b1", "'\uff0b1"), ("\uff0d1", "'\uff0d1"),
    ("\uff20x", "'\uff20x"), ("\u22121", "'\u22121"),
    (" =1+1", "' =1+1"), ("\n=1", "'\n=1"), ("\u200b=1+1", "'=1+1"), ("\ufeff=1", "'=1"), ("\u202e=1", "'=1"),
    ("Ana\u202egnp.exe", "Anagnp.exe"), ("Ana\u2066Ruiz\u2069", "AnaRuiz"), ("Ana\x00Ruiz", "AnaRuiz"),
    ("Rosa Méndez", "Rosa Méndez"), ("\U0001f468\u200d\U0001f469", "\U0001f468\u200d\U0001f469"), ("Ana Ruiz-López", "Ana Ruiz-López"), (3, "3"), (None, ""),
])
def test_a_cell_a_spreadsheet_would_run_or_show_backwards_is_made_plain_text(value, shown):
    assert safe_cell(value) == shown
