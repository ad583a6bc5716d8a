"""Refusals of the coordinators' rules. `str(error)` is written for a coordinator or a visitor."""

from django.utils.translation import gettext as _

from hub.errors import HubError


class CoordinatorsError(HubError):
    code = "invalid"


class NotFound(CoordinatorsError):
    """An id that names nothing here (no such case on this board, no such person): the same refusal on
    every path (the board's page and its socket)."""

    code = "not_found"


class OutsideScope(CoordinatorsError):
    """The case (or district) is not one this person may see or change; views answer 404."""


class NotAllowed(CoordinatorsError):
    """The person's role may not do this (a visitor importing cases, say)."""

    code = "not_allowed"


class AssignmentRefused(CoordinatorsError):
    """The gate refused: `reasons` lists every unmet requirement, one sentence each."""

    code = "refused"

    def __init__(self, reasons: list[str], codes: list[str] | None = None):
        self.reasons = list(reasons)
        self.codes = list(codes or [])
        super().__init__(_("This assignment can't be made: %(reasons)s") % {"reasons": " ".join(
            r if r.endswith(".") else r + "." for r in self.reasons)})

    @classmethod
    def from_refusals(cls, refusals) -> "AssignmentRefused":
        """From `coordinators.selectors.eligibility.assignment_refusals`: worded for the coordinator."""
        from hub.reasons import describe

        return cls([describe([reason], about=whose)[0] for whose, reason in refusals],
                   [reason.code for _, reason in refusals])


class CaseAlreadyAssigned(AssignmentRefused):
    pass


class FamilyDeclined(CoordinatorsError):
    pass


class InvalidCase(CoordinatorsError):
    pass


class InvalidVisit(CoordinatorsError):
    pass


class NotCertified(CoordinatorsError):
    """A visitor without a current LEAP 101 certificate tried to volunteer; the text says what remains."""

    code = "not_certified"


class BoardError(CoordinatorsError):
    """A case-board action that does not fit the case's state (not on the board, not volunteered...)."""
