"""Course content as files: LEAP 101, the wellness course and the role-play scenario library, read
from ``courses/content/`` (the format is described for trainers in its README.md).

Why files: a trainer, or an engineer new to the program, can read and edit a module as the module it
is (its prose, its role play, its questions), and review a change as a diff, instead of finding the
course among Python string literals. ``courses.demo`` turns what this module returns into Wagtail
pages and ``Scenario`` snippets.

The layout::

    courses/content/index.toml                 the Courses page (title, slug, intro) and its courses, in order
    courses/content/<course>/course.toml       one course: code, title, certification rule, its module files in order
    courses/content/<course>/NN-<slug>.md      one module: TOML front matter between +++ lines, then its blocks
    courses/content/scenarios/<slug>.md        one role play: TOML front matter, then a "## Section" per field

A module's body is a sequence of blocks, each opened by a ``::: kind`` line and closed by ``:::``.
A ``text`` block holds HTML; a ``scenario``, ``check`` or ``reflection`` block holds TOML.

`load_content()` reads and checks EVERY file before it returns, and returns plain frozen dataclasses:
the caller writes nothing unless the whole library is sound. A problem raises one `ContentError` whose
message names the file (relative to the repository), the line when it is known, and the field.

Plain Python (no Django imports), so tests, benchmarks and scripts can read the courses without a
database; the few facts it shares with the models (scenario stages, field lengths) are pinned by a test.
"""

import itertools
import re
import tomllib
from dataclasses import dataclass, fields
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from courses.errors import ContentError
from courses.grading import DEFAULT_REVEAL_AFTER

CONTENT_ROOT = Path(__file__).resolve().parent / "content"
REPO_ROOT = Path(__file__).resolve().parent.parent

# Scenario.Stage's values (courses.models; a test keeps the two equal).
STAGES = ("first_visit", "follow_up_call", "second_visit", "later_visit")

# The HTML a text block may use: what the module page's rich-text field offers, plus <p> and <br>.
TEXT_TAGS = frozenset({"p", "h3", "h4", "ul", "ol", "li", "strong", "b", "em", "i", "a", "br"})
VOID_TAGS = frozenset({"br"})
# A line break next to one of these tags is layout only, so it disappears (see `_join_html`).
_BLOCK_TAG = r"</?(?:p|h[1-6]|ul|ol|li|blockquote)\b[^>]*>"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOML_POSITION = re.compile(r" \(at line (\d+), column (\d+)\)$")


# --- What the files become -------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    html: str
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class ScenarioUse:
    """A role play from the library, placed in a module, with a sentence on how to use it there."""

    scenario: str  # the scenario's slug
    how_to_use: str = ""
    kind: ClassVar[str] = "scenario"


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str
    review: str = ""  # the section of the module to re-read after a wrong answer (its heading)


@dataclass(frozen=True)
class KnowledgeCheck:
    title: str
    questions: tuple[Question, ...]
    pass_mark: int = 80
    reveal_after: int = DEFAULT_REVEAL_AFTER  # tries before the right answers show (0: only once passed)
    kind: ClassVar[str] = "check"


@dataclass(frozen=True)
class Reflection:
    prompt: str
    guidance: str = ""
    kind: ClassVar[str] = "reflection"


Block = Text | ScenarioUse | KnowledgeCheck | Reflection
BLOCK_KINDS = ("text", "scenario", "check", "reflection")


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    estimated_minutes: int
    required: bool
    in_refresher: bool
    body: tuple[Block, ...]
    path: str  # relative to the repository, for messages
    # "Who it is for": the name of the one district (or region) the module is limited to, "" for everyone.
    district: str = ""
    region: str = ""


@dataclass(frozen=True)
class Course:
    code: str
    slug: str
    title: str
    summary: str
    audience: str
    sequential: bool
    requires_live_practice: bool
    certificate_valid_months: int
    modules: tuple[Module, ...]
    path: str
    requires_coach_observation: bool = False
    renewal_sessions_required: int = 0

    @property
    def estimated_minutes(self) -> int:
        """A course takes as long as its modules: one number to keep right, not two."""
        return sum(module.estimated_minutes for module in self.modules if not module.district and not module.region)


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    stage: str
    setting: str
    family_situation: str
    role_visitor_a: str
    role_visitor_b: str
    role_parent: str
    role_student: str
    opening: str
    coach_prompts: tuple[str, ...]
    debrief_questions: tuple[str, ...]
    culture_language_notes: str
    path: str
    rubric: tuple[str, ...] = ()

    def model_fields(self) -> dict:
        """The `courses.models.Scenario` fields, less the slug (lists become one item per line)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("slug", "path")}
        return {name: "\n".join(value) if isinstance(value, tuple) else value for name, value in values.items()}


@dataclass(frozen=True)
class CourseIndex:
    title: str
    slug: str
    intro: str


@dataclass(frozen=True)
class Content:
    index: CourseIndex
    courses: tuple[Course, ...]
    scenarios: tuple[Scenario, ...]

    def course(self, code: str) -> Course:
        found = next((course for course in self.courses if course.code == code), None)
        if found is None:
            raise KeyError(code)
        return found

    def scenario(self, slug: str) -> Scenario:
        found = next((scenario for scenario in self.scenarios if scenario.slug == slug), None)
        if found is None:
            raise KeyError(slug)
        return found


# --- Reading and checking --------------------------------------------------------------------------

# Scenario body sections: heading -> (field, a list of "- " items?, required?)
SCENARIO_SECTIONS = {
    "Setting": ("setting", False, True),
    "Family situation": ("family_situation", False, True),
    "Visitor A": ("role_visitor_a", False, True),
    "Visitor B": ("role_visitor_b", False, True),
    "Parent or guardian": ("role_parent", False, True),
    "Student": ("role_student", False, True),
    "How to open": ("opening", False, True),
    "Coach prompts": ("coach_prompts", True, True),
    "Debrief questions": ("debrief_questions", True, True),
    "Culture and language notes": ("culture_language_notes", False, False),
    "Rubric": ("rubric", True, False),  # what a coach observing the role play marks met or not yet
}


def load_content(root: Path | str | None = None) -> Content:
    """Read and check every content file under `root` (default: courses/content/ of this checkout)."""
    root = Path(root) if root is not None else CONTENT_ROOT
    scenarios = _load_scenarios(root)
    known = {scenario.slug for scenario in scenarios}
    index, course_dirs = _load_index(root)
    seen: dict[tuple[str, str], str] = {}  # (field, value) -> the file that has it, to refuse duplicates
    courses = tuple(_load_course(root / name, known, seen) for name in course_dirs)
    return Content(index=index, courses=courses, scenarios=scenarios)


def _display(path: Path) -> str:
    """The path as a trainer finds it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


Lines = list[tuple[int, str]]  # (line number in the file, text)


class _Fields:
    """One TOML table being read: each reader method checks a field's presence and type, and `done`
    refuses the fields nobody read (usually a misspelling, which would otherwise be silently ignored).

    `source` is the table's own lines, so that a problem is reported at the line of its field
    (`line`, the table's first line, when the field is not written there)."""

    def __init__(self, data: dict, path: str, line: int | None = None, prefix: str = "",
                 source: Lines = ()):
        self.data, self.path, self.line, self.prefix, self.source = data, path, line, prefix, source
        self.taken: set[str] = set()

    def line_of(self, name: str) -> int | None:
        """The line of field `name`, or of item n of a list field written `name[n]`: lists are laid
        out one item a line, each starting with a quote (else the field's own line is given)."""
        base, _, item = name.partition("[")
        key = re.compile(r"\s*" + re.escape(base) + r"\s*=")
        line = next((number for number, text in self.source if key.match(text)), None)
        if line is None:
            return self.line
        value = self.data.get(base)
        if item and isinstance(value, list):
            after = itertools.dropwhile(lambda row: row[0] <= line, self.source)
            inside = itertools.takewhile(lambda row: row[1].strip() != "]", after)
            starts = [number for number, text in inside if text.lstrip().startswith('"')]
            if len(starts) == len(value):
                return starts[int(item.rstrip("]")) - 1]
        return line

    def error(self, name: str, problem: str) -> ContentError:
        return ContentError(self.path, problem, field=f"{self.prefix}{name}", line=self.line_of(name))

    def _get(self, name: str, default):
        self.taken.add(name)
        if name in self.data:
            return self.data[name]
        if default is _REQUIRED:
            raise ContentError(self.path, f"missing field '{name}'", field=self.prefix.rstrip("."), line=self.line)
        return default

    def text(self, name: str, *, default=None, max_length: int | None = None, prose=True) -> str:
        value = self._get(name, _REQUIRED if default is None else default)
        if not isinstance(value, str):
            raise self.error(name, f"must be text in quotes, not {_kind(value)}")
        value = _prose(value) if prose else value
        if default is None and not value:
            raise self.error(name, "must not be empty")
        if max_length and len(value) > max_length:
            raise self.error(name, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def slug(self, name: str, *, max_length: int = 255) -> str:
        value = self.text(name, max_length=max_length, prose=False)
        if not _SLUG.fullmatch(value):
            raise self.error(name, f"'{value}' is not a slug: use lower-case letters, digits and single hyphens")
        return value

    def integer(self, name: str, *, default=None, low: int = 1, high: int = 32767) -> int:
        value = self._get(name, _REQUIRED if default is None else default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(name, f"must be a whole number, not {_kind(value)}")
        if not low <= value <= high:
            raise self.error(name, f"must be from {low} to {high}, not {value}")
        return value

    def boolean(self, name: str, *, default=None) -> bool:
        value = self._get(name, _REQUIRED if default is None else default)
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, not {_kind(value)}")
        return value

    def strings(self, name: str, *, what: str = "file names in quotes") -> list[str]:
        value = self._get(name, _REQUIRED)
        if not isinstance(value, list) or not value:
            raise self.error(name, f"must be a list of {what}, not {_kind(value)}")
        for n, item in enumerate(value, 1):
            if not isinstance(item, str) or not item:
                raise self.error(f"{name}[{n}]", f"must be text in quotes, not {_kind(item)}")
        return value

    def tables(self, name: str) -> list[dict]:
        value = self._get(name, _REQUIRED)
        if not isinstance(value, list) or not value:
            header = re.sub(r"\[\d+\]", "", f"{self.prefix}{name}")
            raise self.error(name, f"must be one or more [[{header}]] tables, not {_kind(value)}")
        for n, item in enumerate(value, 1):
            if not isinstance(item, dict):
                raise self.error(f"{name}[{n}]", f"must be a table, not {_kind(item)}")
        return value

    def unique(self, name: str, value: str, seen: dict[tuple[str, str], str]) -> str:
        """Refuse a value another file of the same kind already has (`seen` is shared between them)."""
        if (name, value) in seen:
            raise self.error(name, f"'{value}' is already the {name} of {seen[name, value]}")
        seen[name, value] = self.path
        return value

    def done(self) -> None:
        unknown = [name for name in self.data if name not in self.taken]
        if unknown:
            raise self.error(unknown[0], f"unknown field '{unknown[0]}' (expected one of: "
                                         f"{', '.join(sorted(self.taken))})")


_REQUIRED = object()


def _kind(value) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _prose(value: str) -> str:
    """Prose may be wrapped freely: a line break is a space, and a blank line starts a new paragraph
    (kept as a blank line). Lines lose their indentation, so a TOML multi-line string can be indented."""
    paragraphs = re.split(r"\n\s*\n", value.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs)


def _join_html(lines: list[str]) -> str:
    """HTML laid out one paragraph, heading or list item per line (wrapped if long) becomes the HTML
    the page stores: a line break next to a paragraph, heading or list tag disappears, any other line
    break (inside a sentence) is one space."""
    parts = [line.strip() for line in lines if line.strip()]
    html = parts[0] if parts else ""
    for before, after in zip(parts, parts[1:], strict=False):
        glue = "" if re.search(_BLOCK_TAG + "$", before) or re.match(_BLOCK_TAG, after) else " "
        html += glue + after
    return html


class _TagChecker(HTMLParser):
    """Refuses tags a text block may not use, and tags left open or closed twice."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problem = ""

    def handle_starttag(self, tag, attrs):
        if tag not in TEXT_TAGS:
            self.problem = self.problem or f"<{tag}> is not allowed in a text block (use: " \
                                           f"{', '.join(sorted(TEXT_TAGS))})"
        elif tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.open or self.open[-1] != tag:
            expected = f"</{self.open[-1]}>" if self.open else "nothing"
            self.problem = self.problem or f"</{tag}> closes nothing open here (expected {expected})"
        else:
            self.open.pop()


def _check_html(html: str, path: str, line: int, field: str) -> str:
    checker = _TagChecker()
    checker.feed(html)
    checker.close()
    if not checker.problem and checker.open:
        checker.problem = f"<{checker.open[-1]}> is never closed"
    if checker.problem:
        raise ContentError(path, checker.problem, field=field, line=line)
    return html


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except FileNotFoundError as error:
        raise ContentError(_display(path), "file not found") from error
    except UnicodeDecodeError as error:
        raise ContentError(_display(path), f"is not UTF-8 text ({error.reason} at byte {error.start})") from error


def _toml(text: str, path: str, first_line: int = 1, last_line: int | None = None) -> dict:
    """Parse TOML that starts on `first_line` of the file, with the error's line in file terms."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position:
            raise ContentError(path, f"bad TOML: {message[:position.start()]} (column {position[2]})",
                               line=first_line + int(position[1]) - 1) from error
        message = message.replace(" (at end of document)", "")
        raise ContentError(path, f"bad TOML: {message} (found at the end of this TOML)",
                           line=last_line or first_line) from error


def _front_matter(path: Path) -> tuple[dict, Lines, Lines]:
    """Split a .md file into its TOML front matter (between +++ lines), the front matter's numbered
    lines and the body's."""
    shown = _display(path)
    lines = _read(path).splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ContentError(shown, "must start with a '+++' line, then the TOML front matter, then '+++'", line=1)
    close = next((n for n, line in enumerate(lines[1:], 1) if line.strip() == "+++"), None)
    if close is None:
        raise ContentError(shown, "the front matter has no closing '+++' line", line=1)
    data = _toml("\n".join(lines[1:close]), shown, first_line=2, last_line=close)
    numbered = list(enumerate(lines, 1))
    return data, numbered[1:close], numbered[close + 1:]


# --- Scenarios -------------------------------------------------------------------------------------

def _load_scenarios(root: Path) -> tuple[Scenario, ...]:
    folder = root / "scenarios"
    if not folder.is_dir():
        raise ContentError(_display(folder), "folder not found (it holds one .md file per role play)")
    seen: dict[tuple[str, str], str] = {}
    return tuple(_load_scenario(path, seen)
                 for path in sorted(p for p in folder.glob("*.md") if not p.name.startswith(".")))


def _load_scenario(path: Path, seen: dict[tuple[str, str], str]) -> Scenario:
    shown = _display(path)
    data, front_lines, body = _front_matter(path)
    front = _Fields(data, shown, 1, source=front_lines)
    slug = front.unique("slug", front.slug("slug", max_length=120), seen)
    title = front.text("title", max_length=200)
    stage = front.text("stage", prose=False)
    if stage not in STAGES:
        raise front.error("stage", f"'{stage}' is not a stage (use one of: {', '.join(STAGES)})")
    front.done()

    sections: dict[str, tuple[int, list[str]]] = {}
    current = None
    for number, line in body:
        heading = re.fullmatch(r"##\s+(.+?)\s*", line)
        if heading:
            name = heading[1]
            if name not in SCENARIO_SECTIONS:
                raise ContentError(shown, f"unknown section '## {name}' (expected: "
                                          f"{', '.join(SCENARIO_SECTIONS)})", line=number)
            if name in sections:
                raise ContentError(shown, f"'## {name}' appears twice (first at line {sections[name][0]})",
                                   line=number)
            sections[name] = (number, [])
            current = name
        elif current is not None:
            sections[current][1].append(line)
        elif line.strip():
            raise ContentError(shown, "text before the first '## Section' heading", line=number)

    values: dict[str, object] = {}
    for name, (field, is_list, required) in SCENARIO_SECTIONS.items():
        number, lines = sections.get(name, (None, []))
        value = _list_items(lines, shown, number, name) if is_list else _prose("\n".join(lines))
        if required and not value:
            problem = "is empty" if number else f"missing section '## {name}'"
            raise ContentError(shown, problem, field=f"## {name}" if number else "", line=number)
        values[field] = value
    return Scenario(slug=slug, title=title, stage=stage, path=shown, **values)


def _list_items(lines: list[str], path: str, heading_line: int | None, name: str) -> tuple[str, ...]:
    """'- ' items, one per prompt; an item may wrap onto following (indented) lines."""
    items: list[str] = []
    for offset, line in enumerate(lines, 1):
        if re.match(r"\s*[-*]\s+", line):
            items.append(re.sub(r"^\s*[-*]\s+", "", line).strip())
        elif line.strip():
            if not items:
                raise ContentError(path, "start each item with '- '", field=f"## {name}",
                                   line=heading_line + offset)
            items[-1] += " " + line.strip()
    return tuple(items)


# --- The course index, courses and modules ---------------------------------------------------------

def _load_index(root: Path) -> tuple[CourseIndex, list[str]]:
    path = root / "index.toml"
    shown = _display(path)
    text = _read(path)
    index = _Fields(_toml(text, shown), shown, source=list(enumerate(text.splitlines(), 1)))
    title, slug = index.text("title", max_length=255), index.slug("slug")
    intro = index.text("intro", default="", prose=False)
    intro = _check_html(_join_html(intro.splitlines()), shown, index.line_of("intro"), "intro") if intro else ""
    course_dirs = index.strings("courses")
    index.done()
    for n, name in enumerate(course_dirs, 1):
        if "/" in name or name.startswith(".") or not (root / name / "course.toml").is_file():
            raise index.error(f"courses[{n}]", f"no course folder '{name}' with a course.toml beside index.toml")
        if course_dirs.index(name) != n - 1:
            raise index.error(f"courses[{n}]", f"'{name}' is listed twice")
    unlisted = sorted(p.parent.name for p in root.glob("*/course.toml") if p.parent.name not in course_dirs)
    if unlisted:
        raise index.error("courses", f"the course folder '{unlisted[0]}' is not listed: add it, or remove the folder")
    return CourseIndex(title=title, slug=slug, intro=intro), course_dirs


def _load_course(folder: Path, scenarios: set[str], seen: dict[tuple[str, str], str]) -> Course:
    path = folder / "course.toml"
    shown = _display(path)
    text = _read(path)
    course = _Fields(_toml(text, shown), shown, source=list(enumerate(text.splitlines(), 1)))
    values = dict(
        code=course.unique("code", course.text("code", max_length=30, prose=False), seen),
        slug=course.unique("slug", course.slug("slug"), seen),
        title=course.text("title", max_length=255), summary=course.text("summary"),
        audience=course.text("audience", max_length=300), sequential=course.boolean("sequential"),
        requires_live_practice=course.boolean("requires_live_practice"),
        requires_coach_observation=course.boolean("requires_coach_observation", default=False),
        certificate_valid_months=course.integer("certificate_valid_months", high=600),
        renewal_sessions_required=course.integer("renewal_sessions_required", default=0, low=0, high=50),
    )
    files = course.strings("modules")
    course.done()
    modules: list[Module] = []
    module_slugs: dict[tuple[str, str], str] = {}  # sibling pages need different slugs
    for n, name in enumerate(files, 1):
        if "/" in name or not name.endswith(".md") or not (folder / name).is_file():
            raise course.error(f"modules[{n}]", f"no module file '{name}' in {_display(folder)}/")
        if files.index(name) != n - 1:
            raise course.error(f"modules[{n}]", f"'{name}' is listed twice")
        modules.append(_load_module(folder / name, scenarios, module_slugs))
    unlisted = sorted(p.name for p in folder.glob("*.md") if p.name not in files and not p.name.startswith("."))
    if unlisted:
        raise course.error("modules", f"the module file '{unlisted[0]}' is not listed: add it, or delete the file")
    return Course(modules=tuple(modules), path=shown, **values)


def _load_module(path: Path, scenarios: set[str], seen: dict[tuple[str, str], str]) -> Module:
    shown = _display(path)
    data, front_lines, body = _front_matter(path)
    front = _Fields(data, shown, 1, source=front_lines)
    values = dict(
        title=front.text("title", max_length=255), slug=front.unique("slug", front.slug("slug"), seen),
        estimated_minutes=front.integer("estimated_minutes", high=600),
        required=front.boolean("required"), in_refresher=front.boolean("in_refresher"),
        district=front.text("district", default="", max_length=120), region=front.text("region", default="", max_length=40),
    )
    if values["district"] and values["region"]:
        raise front.error("region", "a module is for one district or one region, not both: remove one of them")
    front.done()
    blocks = tuple(_block(kind, line, lines, shown, scenarios) for kind, line, lines in _fenced(body, shown))
    if not blocks:
        raise ContentError(shown, "the module has no blocks: add at least one '::: text' block after the front matter")
    return Module(body=blocks, path=shown, **values)


def _fenced(body: list[tuple[int, str]], path: str):
    """Yield (kind, opening line number, lines) for each '::: kind' ... ':::' block of a module."""
    kind, opened, lines = None, 0, []
    for number, line in body:
        stripped = line.strip()
        if kind is None:
            if not stripped:
                continue
            opening = re.fullmatch(r":::\s*(\S+)", stripped)
            if not opening:
                problem = "':::' closes no block" if stripped == ":::" else \
                    "text outside a block: put it between a '::: text' line and a ':::' line"
                raise ContentError(path, problem, line=number)
            if opening[1] not in BLOCK_KINDS:
                raise ContentError(path, f"unknown block kind '{opening[1]}' (use one of: {', '.join(BLOCK_KINDS)})",
                                   line=number)
            kind, opened, lines = opening[1], number, []
        elif stripped == ":::":
            yield kind, opened, lines
            kind = None
        elif stripped.startswith(":::"):
            raise ContentError(path, f"a new block starts before the '::: {kind}' block of line {opened} is "
                                     f"closed with ':::'", line=number)
        else:
            lines.append(line)
    if kind is not None:
        raise ContentError(path, f"the '::: {kind}' block is never closed with ':::'", line=opened)


def _block(kind: str, line: int, lines: list[str], path: str, scenarios: set[str]) -> Block:
    if not any(text.strip() for text in lines):
        raise ContentError(path, f"the {kind} block is empty", line=line)
    if kind == "text":
        return Text(html=_check_html(_join_html(lines), path, line, "text"))
    numbered = list(enumerate(lines, line + 1))
    data = _toml("\n".join(lines), path, first_line=line + 1, last_line=line + len(lines))
    # The block's own fields are those above its first [[questions]] table.
    top = list(itertools.takewhile(lambda row: not row[1].lstrip().startswith("[["), numbered))
    table = _Fields(data, path, line, source=top)
    if kind == "scenario":
        slug = table.text("scenario", prose=False)
        if slug not in scenarios:
            raise table.error("scenario", f"no scenario with the slug '{slug}' in the scenarios folder")
        block = ScenarioUse(scenario=slug, how_to_use=table.text("how_to_use", default="", max_length=300))
    elif kind == "check":
        title = table.text("title", max_length=200)
        pass_mark = table.integer("pass_mark", default=80, low=1, high=100)
        reveal_after = table.integer("reveal_after", default=DEFAULT_REVEAL_AFTER, low=0, high=20)
        raw = table.tables("questions")
        # A problem in a question is reported at its [[questions]] line, easier to find than the
        # block's first line (inline tables fall back to the block's).
        starts = _header_lines(numbered, "questions")
        if len(starts) != len(raw):
            starts = [line] * len(raw)
        ends = starts[1:] + [line + len(lines) + 1]
        questions = tuple(
            _question(item, path, start, n, [row for row in numbered if start <= row[0] < end])
            for n, (item, start, end) in enumerate(zip(raw, starts, ends, strict=True), 1))
        block = KnowledgeCheck(title=title, pass_mark=pass_mark, reveal_after=reveal_after, questions=questions)
    else:
        block = Reflection(prompt=table.text("prompt"), guidance=table.text("guidance", default=""))
    table.done()
    return block


def _header_lines(lines: Lines, name: str) -> list[int]:
    """Line numbers of the `[[name]]` table headers among a block's lines."""
    header = re.compile(r"\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
    return [number for number, text in lines if header.match(text)]


_MARK = re.compile(r"\[([ xX])\]\s*")


def _question(data: dict, path: str, line: int, number: int, source: Lines) -> Question:
    """A question's choices are a list of texts, each marked like a paper form: "[x] ..." is a
    correct choice and "[ ] ..." is not, so the question reads in the order a visitor sees it."""
    question = _Fields(data, path, line, f"questions[{number}].", source)
    prompt = question.text("prompt")
    raw = question.strings("choices", what="choices in quotes, each starting with [x] or [ ]")
    explanation = question.text("explanation")
    review = question.text("review", default="", max_length=200)
    question.done()
    if len(raw) < 2:
        raise question.error("choices", "give at least two choices")
    choices = []
    for n, text in enumerate(raw, 1):
        text = _prose(text)
        mark = _MARK.match(text)
        if not mark:
            raise question.error(f"choices[{n}]", "start the choice with '[x] ' (a correct choice) or "
                                                  "'[ ] ' (a wrong one)")
        if not text[mark.end():]:
            raise question.error(f"choices[{n}]", "has a mark but no text")
        if len(text) - mark.end() > 400:
            raise question.error(f"choices[{n}]", f"is {len(text) - mark.end()} characters long; at most 400 fit")
        choices.append(Choice(text=text[mark.end():], correct=mark[1] != " "))
    if not any(choice.correct for choice in choices):
        raise question.error("choices", "mark at least one choice as correct with [x]")
    return Question(prompt=prompt, choices=tuple(choices), explanation=explanation, review=review)
