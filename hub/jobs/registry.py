"""The kinds of job, registered by the apps that own the work (from their AppConfig.ready()), so that
hub.jobs runs imports and exports without importing a feature app.

A kind's `run(run: JobRun) -> JobOutcome` does the work: it reads `run.file` (an import's upload, already
checked against its sha256), calls `run.progress(done=..., errors=...)` after every batch (that writes the
job's counts in a short transaction of its own, so the page sees them), and for an export writes its rows
with `run.write_csv(header, rows, filename)`. A refusal it raises as a HubError fails the job with that
message.

`check(file) -> str` (optional) is run in the request, before the job is queued: a file refused whole
(not UTF-8, wrong columns, too many rows) is a form error at once, not a job that fails a second later.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from hub.jobs.errors import UnknownKind


@dataclass(frozen=True)
class JobOutcome:
    rows: int
    summary: str
    errors: list = field(default_factory=list)  # [(line, reason)], the first ones
    error_count: int = 0
    fatal: str = ""  # refused whole: the job fails with this, nothing was written
    listed: list = field(default_factory=list)  # rows worth listing that are not errors (kind.listed_columns)


@dataclass(frozen=True)
class JobKind:
    name: str  # "cases.import"
    label: object  # shown to people (lazy translation)
    run: Callable
    takes_file: bool = True
    check: Callable | None = None
    # Where "back" goes from the job's page: a URL name and the params key holding its query string.
    back: str = ""
    # An import says how many rows it wrote before a stop; an export is simply made again.
    is_import: bool = True
    # A second table on the finished job's page (`JobOutcome.listed`): its caption and column headings.
    listed_caption: object = ""
    listed_columns: tuple = ()


_KINDS: dict[str, JobKind] = {}


def kind_register(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(f"No job of kind {name!r} is registered.") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
