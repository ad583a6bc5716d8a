"""Domain errors of the shared layer. Views turn them into a message and a 4xx."""


class HubError(Exception):
    """A rule refused an action. `str(error)` is written for the person who tried it."""


class InvalidPerson(HubError):
    pass
