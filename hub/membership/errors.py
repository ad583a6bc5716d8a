"""Refusals of the account-life rules. `str(error)` is written for the coordinator; `code` names it."""

from hub.errors import HubError


class MembershipError(HubError):
    code = "refused"


class NotFound(MembershipError):
    """Nobody the coordinator may act on (outside their district, or no such person or move): a 404."""

    code = "not_found"


class NotAVisitor(MembershipError):
    """A coordinator manages visitors only: not trainers, coordinators, regional or state staff."""

    code = "not_a_visitor"


class Refused(MembershipError):
    """The change contradicts the person's state (already left, a move pending, the same district…)."""

    code = "refused"


class NotAllowed(MembershipError):
    """Only a district coordinator manages visitors' accounts: a 403."""

    code = "forbidden"
