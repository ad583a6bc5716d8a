"""Refusals of the joining rules. `str(error)` is written for the person; `code` names the refusal."""

from hub.errors import HubError


class JoiningError(HubError):
    code = "refused"


class NotAllowed(JoiningError):
    """The inviter may not give this role or this district (hub.joining.selectors.invite_refusal)."""

    code = "forbidden"


class InvalidInvitation(JoiningError):
    code = "invalid"


class AlreadyInvited(JoiningError):
    code = "already_invited"


class HasAccount(JoiningError):
    code = "has_account"


class LinkUnusable(JoiningError):
    """The link is used, expired, withdrawn or was never ours. `reason` is one of LINK_* in models."""

    code = "link_unusable"

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


class WrongAccount(JoiningError):
    code = "wrong_account"


class InvalidLearnerRequest(JoiningError):
    """A learner's sign-up with a field that cannot be kept; `field` names it (None: the whole form)."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class AlreadyDecided(JoiningError):
    code = "already_decided"


class SsoRefused(JoiningError):
    """A single sign-on the Hub does not let in (hub.joining.services.sso_account_for). `reason` is one of
    SSO_* in hub.joining.models."""

    code = "sso_refused"

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason
