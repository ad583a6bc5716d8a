"""Refusals and failures of jobs."""

from hub.errors import HubError


class JobError(HubError):
    code = "job"


class UnknownKind(JobError):
    code = "unknown_kind"


class InputProblem(JobError):
    """The uploaded file is not the one that was uploaded any more (deleted, or replaced)."""

    code = "input"


class Superseded(Exception):
    """This run of a job was replaced by a newer one (the job was resumed after its worker looked stopped):
    the older run stops at its next progress write. Not a failure: the newer run carries on."""
