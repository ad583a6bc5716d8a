"""The audit trail: who did what, when, to which object. Every read of a student case and every
change writes one entry (the views audit reads; the services audit their own changes)."""

from django.utils import timezone

from coordinators.models import AuditEntry
from hub.models import District


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", district=None,
                 detail: str = "") -> AuditEntry:
    """Write one audit entry (who, what, when, which object). Never raises for a missing object."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        if district is None and hasattr(obj, "district_id"):
            district = obj.district_id
    district_id = district.pk if isinstance(district, District) else district
    return AuditEntry.objects.create(
        at=timezone.now(), actor=actor if actor is not None and actor.is_authenticated else None,
        action=action[:40], object_type=object_type[:40],
        # What a refused request asked for is recorded as text; PostgreSQL text holds no NUL bytes.
        object_id=str(object_id or "").replace("\x00", "")[:40],
        district_id=district_id, detail=detail.replace("\x00", "")[:500],
    )
