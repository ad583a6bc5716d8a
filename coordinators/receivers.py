"""What coordinators does when `hub` tells it something (connected in `CoordinatorsConfig.ready()`)."""

from coordinators import services


def flag_cases_of_departed_visitor(sender, *, person, district, reason, by, **kwargs) -> None:
    """A visitor left a district or was deactivated (`hub.membership.signals.visitor_left_district`):
    their open cases there need a new visitor."""
    services.assignments_flag_departed(person=person, district_id=district.pk if district else None,
                                       reason=reason, by=by)
