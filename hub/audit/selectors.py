"""Who reads which audit entries: one query, used by every page that shows the trail."""

from django.db.models import Q, QuerySet

from hub.audit.models import AuditEntry, AuditEntryDistrict


def entries_concerning(*, districts: QuerySet, actor) -> QuerySet[AuditEntry]:
    """Entries about the given districts (filed under one of them, or listing one among the districts
    they concern) and every entry `actor` wrote themselves — refused attempts included, whichever
    district they were filed under. Newest first; no duplicates (subqueries, not joins)."""
    about = Q(district__in=districts) | Q(pk__in=AuditEntryDistrict.objects.filter(
        district__in=districts).values("entry_id"))
    if actor is not None and actor.is_authenticated:
        about |= Q(actor=actor)
    return AuditEntry.objects.filter(about)
