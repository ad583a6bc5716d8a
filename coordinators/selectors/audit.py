"""The audit trail as a person reads it: the entries about the districts in their scope (filed under one
of them, or an export that held some of their people) and everything they did themselves, refused
attempts included, newest first. Staff (coordinators, regional and state staff) see both; anyone else
signed in (a trainer who exported roundtable sign-ups, a visitor) sees their own actions.

Entries are written by `hub.audit.services.audit_record`; who sees which is `hub.audit.selectors`.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch

from coordinators.selectors.access import is_staff_reader
from hub.audit.models import AuditEntryDistrict
from hub.audit.selectors import entries_concerning
from hub.models import District
from hub.selectors import scope_for

PAGE_SIZE = 50


def audit_trail(*, user, page: int = 1):
    """One page of the person's trail (a fixed 4 queries: count, page, districts of the page's entries),
    or None for someone signed out."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    districts = scope_for(user) if is_staff_reader(user) else District.objects.none()
    entries = (entries_concerning(districts=districts, actor=user).select_related("actor", "district")
               .prefetch_related(Prefetch("concerns", queryset=AuditEntryDistrict.objects.select_related(
                   "district").order_by("district__name"))))
    return Paginator(entries, PAGE_SIZE).get_page(page)
