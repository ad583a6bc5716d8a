"""The organisers' CSV of a roundtable's sign-ups: its header and rows, for `hub.exports.csv_response`
(which makes every cell spreadsheet-safe, writes UTF-8 with a byte-order mark so that Excel shows
"Méndez" as written, streams the file and audits the export)."""

from collections.abc import Iterable, Iterator

from django.utils import timezone

from roundtable.models import LANGUAGE_NAMES, FamilySignup, Roundtable

HEADER = ["Status", "Name", "Email", "Phone", "Preferred language", "Interpreter", "Children needing care",
          "Accessibility needs", "District", "Heard from", "Signed up", "Checked in"]


def _phone(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if len(digits) == 10 else digits


def filename(roundtable: Roundtable) -> str:
    return f"roundtable-{roundtable.pk}-signups-{timezone.localdate(roundtable.starts_at).isoformat()}.csv"


def signup_rows(signups: Iterable[FamilySignup]) -> Iterator[list]:
    for s in signups:
        yield [
            s.status, s.name, s.email, _phone(s.phone), s.preferred_language,
            LANGUAGE_NAMES.get(s.interpretation_language, "") if s.interpretation_language else "",
            s.children_count, s.accessibility_needs, s.district.name if s.district_id else "",
            s.get_heard_from_display() if s.heard_from else "",
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(s.checked_in_at).strftime("%Y-%m-%d %H:%M") if s.checked_in_at else "",
        ]
