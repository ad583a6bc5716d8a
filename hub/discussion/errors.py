"""Refusals of the discussion rules. `str(error)` is written for the person; `code` is what a websocket
error frame carries (hub/discussion/protocol.md)."""

from hub.errors import HubError


class DiscussionError(HubError):
    code = "refused"


class RoomNotFound(DiscussionError):
    code = "not_found"


class MessageNotFound(DiscussionError):
    code = "not_found"


class NoAccess(DiscussionError):
    code = "forbidden"


class InvalidMessage(DiscussionError):
    code = "invalid"


class NotYourMessage(DiscussionError):
    code = "not_yours"


class EditWindowClosed(DiscussionError):
    code = "edit_window_closed"


class MessageGone(DiscussionError):
    code = "gone"


class NotModerator(DiscussionError):
    code = "not_moderator"


class ClientIdReused(DiscussionError):
    code = "client_id_reused"
