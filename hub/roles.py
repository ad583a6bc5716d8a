"""Roles are Django groups. These are their names, and the one way to ask which a user holds."""

VISITOR = "Visitor"
TRAINER = "Trainer"
COORDINATOR = "Coordinator"
REGIONAL_STAFF = "Regional staff"
STATE_STAFF = "State staff"
# Someone from outside the program's districts (another state, another country) taking LEAP 101: courses,
# sessions, the statewide community room and certificates; no district, so no cases, rosters or district
# rooms (`hub.selectors.scope_for` gives them none). They sign up at /join/leap-101/ (hub.joining).
LEARNER = "Learner"
# Someone who observes role plays at LEAP 101 live practice and records "ready" or "practise again"
# (`courses.services.observation_record`). Given to an existing account, on top of its other roles, by a
# trainer or state staff (`hub.membership.services.coach_role_set`), never by invitation.
COACH = "Coach"

ALL_ROLES = (VISITOR, TRAINER, COORDINATOR, REGIONAL_STAFF, STATE_STAFF, LEARNER, COACH)
# The roles an invitation can carry (a coach is chosen among people already on the Hub).
INVITATION_ROLES = (VISITOR, TRAINER, COORDINATOR, REGIONAL_STAFF, STATE_STAFF, LEARNER)

# Roles that edit content in the Wagtail admin (and so need `is_staff` for django-filer's picker).
CONTENT_EDITORS = frozenset({TRAINER, STATE_STAFF})

# Model permissions ("app_label.codename") the content editors get besides page permissions: the media
# libraries here; apps add their snippets with `editor_permissions_register` in their ready().
EDITOR_MODEL_PERMISSIONS: set[str] = {
    "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
    "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    "filer.add_file", "filer.change_file", "filer.add_folder", "filer.change_folder",
}


def editor_permissions_register(*permissions: str) -> None:
    EDITOR_MODEL_PERMISSIONS.update(permissions)


def roles_of(user) -> frozenset[str]:
    """The role names a user holds, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_hub_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._hub_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
