"""Writing the audit trail. Every read of a student case, every change, every export of personal data
and every refused attempt writes one entry; views audit reads and exports, services their own changes."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from hub.audit.models import AuditEntry, AuditEntryDistrict
from hub.models import District


def _district_id(value) -> int | None:
    if isinstance(value, District):
        return value.pk
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _clean(text, limit: int) -> str:
    # What a refused request asked for is recorded as text; PostgreSQL text holds no NUL bytes.
    return str(text or "").replace("\x00", "")[:limit]


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", district=None,
                 districts: Iterable = (), rows: int | None = None, detail: str = "") -> AuditEntry:
    """Write one audit entry (who, what, when, which object, which districts). Never raises for a missing
    object. Districts are ids the caller read from the database (an object's, a scope-checked filter's).

    - `district`: the district the object belongs to (taken from `obj.district_id` when not given);
    - `districts`: every district whose people the entry concerns (an export's rows). When they are all
      one district it becomes `district`; otherwise each is listed, so each district's trail shows it;
    - `rows`: how many rows an export held.
    """
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        if district is None and hasattr(obj, "district_id"):
            district = obj.district_id
    district_id = _district_id(district)
    concerned = {d for d in (_district_id(v) for v in districts) if d is not None}
    if district_id is None and len(concerned) == 1:
        district_id = concerned.pop()
    concerned.discard(district_id)
    entry = AuditEntry(
        at=timezone.now(), actor=actor if actor is not None and actor.is_authenticated else None,
        action=_clean(action, 40), object_type=_clean(object_type, 40), object_id=_clean(object_id, 40),
        district_id=district_id, rows=rows, detail=_clean(detail, 500),
    )
    if not concerned:  # nearly every entry: one row, one query
        entry.save()
        return entry
    with transaction.atomic():  # the entry and its districts, or nothing
        entry.save()
        AuditEntryDistrict.objects.bulk_create(
            [AuditEntryDistrict(entry=entry, district_id=d) for d in sorted(concerned)])
    return entry
