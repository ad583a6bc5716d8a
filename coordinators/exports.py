"""The coordinators' CSV exports (rows for hub.exports, which makes every cell spreadsheet-safe)."""

from collections.abc import Iterator

from django.utils import timezone

from hub.exports import csv_response, safe_cell  # noqa: F401 - re-exported for the views


def roster_csv_rows(rows) -> Iterator[list]:
    for row in rows:
        person = row.person
        yield [
            person.user.last_name, person.user.first_name, person.home_district.name if person.home_district else "",
            row.organisation, row.status.label, row.status.describe(),
            timezone.localtime(row.status.valid_until).date().isoformat() if row.status.valid_until else "",
            row.practice_sessions,
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            "yes" if row.can_take_cases else "no",
        ]


ROSTER_HEADER = ["last_name", "first_name", "district", "school_or_partner", "status", "status_detail",
                 "valid_until", "live_sessions_attended", "last_activity", "can_take_cases"]

CASE_HEADER = ["student_id", "first_name", "last_initial", "grade", "school", "home_language", "days_enrolled",
               "days_absent", "referral_reason", "status"]


def case_csv_rows(cases) -> Iterator[list]:
    for case in cases:
        yield [case.student_ref, case.first_name, case.last_initial, case.grade, case.school.name,
               case.home_language, case.days_enrolled, case.days_absent, case.referral_reason,
               case.get_status_display()]
