"""Domain errors of the shared layer. Views turn them into a message and a 4xx, websocket consumers into
an error frame carrying `code` (`hub.sockets`)."""


class HubError(Exception):
    """A rule refused an action. `str(error)` is written for the person who tried it; `code` is a short
    machine-readable name of the refusal (each app's errors set their own)."""

    code = "refused"


class InvalidPerson(HubError):
    code = "invalid"
