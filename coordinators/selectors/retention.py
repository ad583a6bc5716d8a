"""Retention of closed cases (the reads): how long closed cases are kept, and which are due.

`coordinators.services.retention.closed_cases_purge` (run by `manage.py purge_closed_cases`) erases
what identifies the student in the cases `closed_cases_due` finds, as the privacy registry says.
"""

from datetime import datetime

from django.utils import timezone

from coordinators.models import CaseStatus, StudentCase
from hub.audit.models import AuditEntry

DEFAULT_CASE_RETENTION_DAYS = 365


def case_retention_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "CASE_RETENTION_DAYS", DEFAULT_CASE_RETENTION_DAYS))


def closed_cases_due(*, now: datetime | None = None, days: int | None = None):
    """Closed cases, not purged yet, closed more than `days` ago. When a case closed is its latest
    `case.close` audit entry (the case's last change if it has none)."""
    from datetime import timedelta

    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast, Coalesce

    now = now or timezone.now()
    days = case_retention_days() if days is None else days
    closed_at = (AuditEntry.objects.filter(action="case.close", object_type="studentcase",
                                           object_id=Cast(OuterRef("pk"), CharField()))
                 .order_by("-at").values("at")[:1])
    return (StudentCase.objects.filter(status=CaseStatus.CLOSED).exclude(student_ref__startswith="removed-")
            .annotate(closed_at=Coalesce(Subquery(closed_at), "updated_at"))
            .filter(closed_at__lte=now - timedelta(days=days)).order_by("pk"))
