"""The organisers' CSV of sign-ups, safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or carriage return) would be read as a formula by Excel,
LibreOffice or Google Sheets; such cells get a leading single quote (OWASP's "CSV injection" advice).
"""

import csv

from django.utils import timezone

from hub.exports import safe_cell
from roundtable.models import LANGUAGE_NAMES

HEADER = ["Status", "Name", "Email", "Phone", "Preferred language", "Interpreter", "Children needing care",
          "Accessibility needs", "District", "Heard from", "Signed up", "Checked in"]


def _phone(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if len(digits) == 10 else digits


def signups_csv(out, *, signups) -> None:
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for s in signups:
        writer.writerow([safe_cell(cell) for cell in (
            s.status, s.name, s.email, _phone(s.phone), s.preferred_language,
            LANGUAGE_NAMES.get(s.interpretation_language, "") if s.interpretation_language else "",
            s.children_count, s.accessibility_needs, s.district.name if s.district_id else "",
            s.get_heard_from_display() if s.heard_from else "",
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(s.checked_in_at).strftime("%Y-%m-%d %H:%M") if s.checked_in_at else "",
        )])
