"""The audit trail as staff read it: every entry of the districts in their scope, newest first.

Entries are written by `coordinators.services.audit.audit_record`.
"""

from django.core.paginator import Paginator

from coordinators.models import AuditEntry
from coordinators.selectors.access import is_staff_reader
from hub.selectors import scope_for


def audit_trail(*, user, page: int = 1):
    if not is_staff_reader(user):
        return None
    entries = AuditEntry.objects.filter(district__in=scope_for(user)).select_related("actor", "district")
    return Paginator(entries, 50).get_page(page)
