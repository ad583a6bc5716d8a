"""The project's stylesheets: one set of design tokens, one badge, and no class without a rule.

Colours are written once, as custom properties in the `:root` block of hub/static/hub/css/site.css (the
design tokens); every other rule, in every project stylesheet, uses `var(--…)`. A class that a template or
project JavaScript puts on an element is defined in some project stylesheet: a class nobody styles is
either dead (remove it) or a JavaScript hook. Hooks should be `data-` attributes; a hook class starts with
`js-`, or is in JS_HOOKS below with the reason. Every failure names the file and the class or colour.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE_CSS = ROOT / "hub" / "static" / "hub" / "css" / "site.css"
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", "__pycache__"}

# Classes used only as JavaScript hooks (the script must use them). Keep this empty if you can: prefer a
# `data-` attribute, or a `js-` prefix, for a new hook.
JS_HOOKS: dict[str, str] = {}

# WCAG AA: text colour on the background it is used on (token names without `--`), at least 4.5:1.
TEXT_PAIRS = [
    ("color-text", "color-bg"), ("color-text", "color-surface"),
    ("color-text-muted", "color-bg"), ("color-text-muted", "color-surface"),
    ("color-primary", "color-bg"), ("color-primary", "color-surface"), ("color-primary-hover", "color-bg"),
    ("color-on-primary", "color-primary"), ("color-on-primary", "color-primary-hover"),
    ("color-success", "color-bg"), ("color-success", "color-surface"), ("color-on-success", "color-success"),
    ("color-warning", "color-bg"), ("color-warning", "color-surface"), ("color-on-warning", "color-warning"),
    ("color-danger", "color-bg"), ("color-danger", "color-surface"), ("color-danger", "color-danger-surface"),
    ("color-on-danger", "color-danger"), ("color-on-danger", "color-danger-hover"),
    ("color-info", "color-bg"), ("color-info", "color-surface"), ("color-on-info", "color-info"),
    ("color-text", "color-danger-surface"),
    ("color-focus-outline", "color-focus-ring"),
]
# Non-text (WCAG 1.4.11), at least 3:1: input borders, and the focus ring on the dark header and on white.
UI_PAIRS = [
    ("color-border-strong", "color-bg"),
    ("color-focus-outline", "color-bg"), ("color-focus-ring", "color-primary-hover"),
]

COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(")
RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")  # innermost blocks: (selector, declarations)
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.S)
TEMPLATE_VAR = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
JS_CLASSES = re.compile(
    r"""(?:\.className\s*=|classList\.(?:add|remove|toggle|replace)\(|setAttribute\(\s*["']class["']\s*,"""
    r"""|["']?class["']?\s*:)\s*["']([^"']*)["']""")


def project_files(suffix: str, under: str | None = None) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        path = Path(folder)
        if under and under not in path.relative_to(ROOT).parts:
            continue
        found += [path / n for n in sorted(names) if n.endswith(suffix)]
    return found


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def css_text(path: Path) -> str:
    """The stylesheet without comments (kept the same length, so offsets still give line numbers)."""
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), path.read_text(), flags=re.S)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def stylesheets() -> list[Path]:
    return project_files(".css")


def templates() -> list[Path]:
    return project_files(".html", under="templates")


def scripts() -> list[Path]:
    return project_files(".js")


def tokens() -> dict[str, str]:
    """The custom properties of the `:root` block of site.css, resolving `var(--other)` values."""
    text = css_text(SITE_CSS)
    [body] = [m.group(2) for m in RULE.finditer(text) if m.group(1).strip() == ":root"]
    raw = dict(re.findall(r"--([\w-]+)\s*:\s*([^;]+);", body))

    def resolve(value: str) -> str:
        var = re.fullmatch(r"var\(--([\w-]+)\)", value.strip())
        return resolve(raw[var.group(1)]) if var else value.strip()

    return {name: resolve(value) for name, value in raw.items()}


def defined_classes() -> dict[str, set[str]]:
    """{class: stylesheets whose selectors name it}; a self-contained template's <style> counts too."""
    sources = [(rel(p), css_text(p)) for p in stylesheets()]
    for path in templates():
        for style in re.findall(r"<style[^>]*>(.*?)</style>", path.read_text(), flags=re.S):
            sources.append((rel(path), style))
    defined: dict[str, set[str]] = {}
    for name, text in sources:
        for rule in RULE.finditer(text):
            for cls in CLASS_SELECTOR.findall(rule.group(1)):
                defined.setdefault(cls, set()).add(name)
    return defined


def dynamic_classes() -> dict[str, list[str]]:
    """The values a template expression put in a class attribute can take (`badge-{{ s.status }}`)."""
    from django.conf import settings
    from django.contrib.messages.constants import DEFAULT_TAGS

    from coordinators.models import ABSENCE_PRIORITY
    from coordinators.selectors.need import INPUT_KEYS as NEED_INPUT_KEYS
    from courses.badge_selectors import Verdict
    from courses.selectors import State
    from hub.capacity import SeatStatus
    from hub.outbox.models import State as MessageState
    from hub.schedule.models import State as RunState

    message_tags = sorted(set(DEFAULT_TAGS.values()) | set(getattr(settings, "MESSAGE_TAGS", {}).values()))
    return {
        "message.tags": message_tags,                    # templates/base.html: Django's message levels
        "status.state": list(State.ORDER),               # courses: a person's certification state
        "row.status.state": list(State.ORDER),           # coordinators' roster: the same states
        "s.status": [value for value, _ in SeatStatus.choices],  # roundtable sign-ups: seat statuses
        "s.key": ["served", "comparison"],               # coordinators' impact chart: its two lines
        "m.state": [value for value, _ in MessageState.choices],  # the outbox: a message's state
        "s.last.state": [value for value, _ in RunState.choices],  # scheduled jobs: a job's last run
        "run.state": [value for value, _ in RunState.choices],     # scheduled jobs: the latest runs
        "verdict.state": [v for k, v in vars(Verdict).items() if k.isupper()],  # a digital badge checked
        "input.key": list(NEED_INPUT_KEYS),  # the district need index: one colour per input
        "seg_key": list(NEED_INPUT_KEYS),
        "row.level": list(ABSENCE_PRIORITY),  # the waiting list: a student's chronic-absence band
    }


def used_classes() -> list[tuple[str, str]]:
    """(class, where) for every class a template or project script sets."""
    used, dynamic = [], dynamic_classes()
    for path in templates():
        # Quotes inside {% … %} and {{ … }} (`{% if s.status == "cancelled" %}`) do not end the attribute.
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", lambda m: re.sub("[\"']", "", m.group()), path.read_text(),
                      flags=re.S)
        for m in CLASS_ATTR.finditer(text):
            where = f"{rel(path)}:{line_of(text, m.start())}"
            value = TEMPLATE_TAG.sub(" ", m.group(1) if m.group(1) is not None else m.group(2))
            value = TEMPLATE_VAR.sub(lambda v: "{{" + v.group(1).replace(" ", "") + "}}", value)
            for token in value.split():
                var = TEMPLATE_VAR.search(token)
                if not var:
                    used.append((token, where))
                    continue
                if var.group(1) not in dynamic:
                    pytest.fail(f"{where}: the class {token!r} is built from {{{{ {var.group(1)} }}}}: "
                                "list the values it can take in dynamic_classes() of this test")
                used += [(token[:var.start()] + value + token[var.end():], where) for value in dynamic[var.group(1)]]
    for path in scripts():
        text = path.read_text()
        for m in JS_CLASSES.finditer(text):
            used += [(token, f"{rel(path)}:{line_of(text, m.start())}") for token in m.group(1).split()]
    return used


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        h = colour.lstrip("#")
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- the tests ----------------------------------------------------------------------------------------


def test_the_project_has_the_stylesheets_templates_and_scripts_these_tests_read():
    assert SITE_CSS in stylesheets() and len(stylesheets()) >= 4
    assert any(p.name == "base.html" for p in templates())
    assert any(p.name == "board.js" for p in scripts())


def test_no_stylesheet_writes_a_colour_outside_the_token_block_of_site_css():
    found = []
    for path in stylesheets():
        text = css_text(path)
        for rule in RULE.finditer(text):
            if path == SITE_CSS and rule.group(1).strip() == ":root":
                continue
            for colour in COLOUR.finditer(text, rule.start(), rule.end()):
                found.append(f"{rel(path)}:{line_of(text, colour.start())}: {colour.group()} "
                             f"(in `{rule.group(1).strip()}`): use a var(--color-…) token of site.css")
    assert not found, "colour literals outside the :root tokens of site.css:\n" + "\n".join(found)


def test_every_custom_property_a_stylesheet_uses_is_a_token_of_site_css():
    known = tokens()
    found = []
    for path in stylesheets():
        text = css_text(path)
        for m in re.finditer(r"var\(\s*--([\w-]+)", text):
            if m.group(1) not in known:
                found.append(f"{rel(path)}:{line_of(text, m.start())}: var(--{m.group(1)}) is not a token")
    assert not found, "\n".join(found)


def test_every_token_is_used_by_some_stylesheet():
    used = {m for p in stylesheets() for m in re.findall(r"var\(\s*--([\w-]+)", css_text(p))}
    unused = sorted(set(tokens()) - used)
    assert not unused, f"tokens of site.css that no stylesheet uses (remove them): {unused}"


def test_the_badge_is_defined_in_exactly_one_stylesheet_site_css():
    where = sorted(rel(p) for p in stylesheets()
                   if any(re.search(r"\.badge(?![\w-])", r.group(1)) for r in RULE.finditer(css_text(p))))
    assert where == [rel(SITE_CSS)], f".badge is defined in {where}; keep one .badge, in site.css"


def test_every_class_a_template_or_script_sets_is_defined_in_a_stylesheet_or_is_a_js_hook():
    defined = defined_classes()
    script_text = "\n".join(p.read_text() for p in scripts())
    missing = sorted({f"{where}: .{cls}" for cls, where in used_classes()
                      if cls not in defined and cls not in JS_HOOKS and not cls.startswith("js-")})
    assert not missing, ("classes no stylesheet defines (define them, remove them, or, for a JavaScript "
                         "hook, use a data- attribute):\n" + "\n".join(missing))
    hooks = {cls for cls, _ in used_classes() if cls.startswith("js-")} | set(JS_HOOKS)
    unused = sorted(h for h in hooks if not re.search(rf"[.\"' ]{re.escape(h)}\b", script_text))
    assert not unused, f"JavaScript hook classes no script uses: {unused}"


def test_text_tokens_have_at_least_4_5_to_1_contrast_and_ui_tokens_3_to_1():
    known = tokens()
    missing = sorted({name for fg, bg in TEXT_PAIRS + UI_PAIRS for name in (fg, bg)} - set(known))
    assert not missing, f"site.css :root lacks the tokens {missing}"
    low = [f"--{fg} on --{bg}: {contrast(known[fg], known[bg]):.2f}:1 (needs {need}:1)"
           for pairs, need in ((TEXT_PAIRS, 4.5), (UI_PAIRS, 3))
           for fg, bg in pairs if contrast(known[fg], known[bg]) < need]
    assert not low, "\n".join(low)
