"""Refusals of the privacy commands. `str(error)` is written for the operator at the command line."""

from hub.errors import HubError


class PrivacyError(HubError):
    """A request the registry cannot serve as asked (unknown subject, bad arguments)."""


class ErasureRefused(PrivacyError):
    """The subject has something that must be kept or handled first (the message says what)."""


