"""The coordinators' CSV exports: the header and rows of each, for `hub.exports.csv_response` (which makes
every cell spreadsheet-safe, streams the file and audits it)."""

from collections.abc import Iterator

from django.utils import timezone, translation

from hub.exports import csv_response  # noqa: F401 - re-exported for the views


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
        # The status in English whoever downloads it: the columns are the file's, not the page's.
        with translation.override("en"):
            status = str(case.get_status_display())
        yield [case.student_ref, case.first_name, case.last_initial, case.grade, case.school.name,
               case.home_language, case.days_enrolled, case.days_absent, case.referral_reason,
               status]


def filename(stem: str, district_id: int | None) -> str:
    """"student-cases-hartford-2026-12-01.csv": what, for which district (if one), on which day."""
    from hub.models import District

    parts = [stem]
    if district_id is not None:
        parts.append(District.objects.filter(pk=district_id).values_list("slug", flat=True).first() or "")
    parts.append(timezone.localdate().isoformat())
    return "-".join(p for p in parts if p) + ".csv"
