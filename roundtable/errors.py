"""Refusals of the roundtable rules. `str(error)` is written for the family or organiser who tried,
in their language: messages are lazy translations, rendered in the language active at the time."""

from django.utils.translation import gettext_lazy as _

from hub.errors import HubError


class RoundtableError(HubError):
    default_message = _("That could not be done.")

    def __init__(self, message=None):
        super().__init__(message if message is not None else self.default_message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else str(self.default_message)


class NotAllowed(RoundtableError):
    default_message = _("Only Family Roundtable organisers can do this.")


class InvalidRoundtable(RoundtableError):
    """A roundtable whose details contradict themselves (ends before it starts, no seats…). `field` names
    the organiser's form field to blame, if one."""

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class RoundtableCancelled(RoundtableError):
    """The roundtable was cancelled: no sign-up, no edit, no second cancelling."""

    default_message = _("This roundtable was cancelled, so sign-up is closed.")


class RoundtableNotOpen(RoundtableError):
    default_message = _("This roundtable is not open for sign-up yet.")


class InvalidSignup(RoundtableError):
    """A sign-up with missing or impossible details. `field` names the form field to blame, if one."""

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class SignupClosed(RoundtableError):
    default_message = _("Sign-up for this roundtable is closed: it has already taken place.")


class NotSignedUp(RoundtableError):
    default_message = _("This sign-up was already cancelled.")


class CheckInClosed(RoundtableError):
    default_message = _("Check-in opens on the day of the roundtable.")


class InvalidInsight(RoundtableError):
    pass


class InsightNamesFamily(InvalidInsight):
    """An insight's text contains the name of a family signed up for the roundtable. `mentions` says what
    matched (`roundtable.names.Mention`); the organiser rewrites it or confirms it identifies nobody."""

    def __init__(self, mentions):
        self.mentions = list(mentions)
        found = ", ".join(f"“{m.matched}”" for m in self.mentions)
        super().__init__(_("This may name a family signed up for this roundtable: %(found)s. Rewrite it "
                           "without names, or tick “I have checked this does not identify a family”.")
                         % {"found": found})
