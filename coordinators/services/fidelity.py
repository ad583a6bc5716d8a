"""The state's fidelity targets: state staff change them here, and the change is audited (from, to)."""

from django.db import transaction

from coordinators import errors
from coordinators.models import FidelityTargets
from coordinators.selectors.fidelity import may_set_fidelity_targets
from hub.audit.services import audit_record

TARGET_FIELDS = ("first_contact_days", "first_visit_days", "two_visits_share", "pairs_share", "in_person_share",
                 "follow_up_days", "follow_up_share", "offered_share", "accepted_share", "connected_share",
                 "certified_share")


@transaction.atomic
def fidelity_targets_set(*, by, values: dict[str, int]) -> FidelityTargets:
    """Save the targets (every field of TARGET_FIELDS) for the whole state. NotAllowed, changing nothing,
    for anyone but state staff; the audit entry lists each target that changed, from and to."""
    if not may_set_fidelity_targets(by):
        raise errors.NotAllowed("Only state staff set the fidelity targets.")
    unknown = set(values) - set(TARGET_FIELDS)
    if unknown:
        raise errors.CoordinatorsError(f"Unknown target: {', '.join(sorted(unknown))}.")
    targets = FidelityTargets.objects.select_for_update().order_by("pk").first() or FidelityTargets()
    changes = []
    for name in TARGET_FIELDS:
        if name in values and int(values[name]) != getattr(targets, name):
            changes.append(f"{name}: {getattr(targets, name)} -> {int(values[name])}")
            setattr(targets, name, int(values[name]))
    targets.updated_by = by
    targets.full_clean(exclude=["updated_by"])
    targets.save()
    audit_record(actor=by, action="fidelity.targets_set", object_type="fidelitytargets", object_id=targets.pk,
                 detail="; ".join(changes) or "no change")
    return targets
