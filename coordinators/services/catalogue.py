"""The catalogues a visit log chooses from: the barriers to attendance (the same for every district)
and each district's resources (referral partners)."""

from django.db import transaction

from coordinators import errors
from coordinators.models import Barrier, Resource
from hub.models import District

BARRIERS = [
    "Transportation", "Housing instability", "Physical health", "Mental and behavioural health",
    "Food insecurity", "Technology and internet", "Childcare for siblings", "Caring for family or working",
    "Language", "Immigration concerns", "Bullying and school climate", "Safe route to school",
    "Disengagement from school", "Misconceptions about absence",
]


@transaction.atomic
def barriers_ensure() -> int:
    from django.utils.text import slugify

    for order, name in enumerate(BARRIERS):
        Barrier.objects.update_or_create(slug=slugify(name), defaults={"name": name, "order": order})
    return len(BARRIERS)


@transaction.atomic
def resource_create(*, district: District, name: str, kind: str, contact: str = "") -> Resource:
    if kind not in Resource.Kind.values:
        raise errors.CoordinatorsError("Unknown kind of resource.")
    resource, _ = Resource.objects.update_or_create(district=district, name=name,
                                                    defaults={"kind": kind, "contact": contact})
    return resource
