"""Refusals of the second step. Each carries a message for the person."""

from django.utils.translation import gettext as _


class TwoFactorError(Exception):
    pass


class WrongCode(TwoFactorError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("That code is not right. Check your authenticator app and try again."))


class Throttled(TwoFactorError):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(
            _("Too many wrong codes. Wait %(seconds)s seconds, then try again with a new code.")
            % {"seconds": seconds}
        )


class NotAllowed(TwoFactorError):
    pass
