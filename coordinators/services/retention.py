"""Retention of closed cases: erase what identifies the student once a closed case is past
CASE_RETENTION_DAYS (`manage.py purge_closed_cases`; which cases are due is
`coordinators.selectors.retention.closed_cases_due`)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coordinators.selectors.retention import case_retention_days, closed_cases_due
from hub.audit.services import audit_record


def closed_cases_purge(*, operator: str, now: datetime | None = None, days: int | None = None,
                       dry_run: bool = False) -> dict[str, int]:
    """Remove what identifies the student, and the free text, from cases closed more than `days`
    (CASE_RETENTION_DAYS) ago, as the privacy registry's student erasure says; what the dashboards count
    stays. One audit entry per case, one privacy.PrivacyRequest per run (dry runs too). Returns rows per model
    (with "cases": how many cases)."""
    from hub.privacy import selectors as privacy_selectors
    from hub.privacy import services as privacy

    now = now or timezone.now()
    days = case_retention_days() if days is None else days
    if days < 0:
        raise ValueError("days must be 0 or more")
    operator = privacy.operator_clean(operator)
    due = list(closed_cases_due(now=now, days=days).values_list("pk", "district_id"))
    counts: dict[str, int] = {"cases": len(due)}
    with transaction.atomic():
        if not dry_run:
            for case_id, district_id in due:
                subject = privacy_selectors.subject_for_student(case_id=case_id)
                for model, n in privacy.privacy_erase_apply(subject, now=now).items():
                    counts[model] = counts.get(model, 0) + n
                audit_record(actor=None, action="case.purge", object_type="studentcase", object_id=case_id,
                             district=district_id, detail=f"Retention: closed more than {days} days ago.")
        privacy.privacy_request_record(
            kind="retention", subject=None, subject_kind="cases", reference=f"closed-before-{days}-days",
            operator=operator, counts=counts, now=now, outcome="dry_run" if dry_run else "done",
            detail=f"{len(due)} closed case(s) past {days} days.")
    return counts
