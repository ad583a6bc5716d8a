"""The course content files (courses/content/) load into the courses as the demo builds them, and a
malformed file is refused with one message naming the file, the line and the field, before anything
is written."""

import shutil

import pytest

from courses import content_loader
from courses.blocks import ChoiceBlock, KnowledgeCheckBlock, ScenarioBlock
from courses.content_loader import load_content
from courses.errors import ContentError, CourseError
from courses.models import Scenario

LEAP_MODULES = [
    "cornerstones-and-the-shift-to-relationships",
    "the-visit-sequence",
    "first-contact-and-the-phone-call",
    "the-first-visit-listening-for-hopes",
    "barriers-and-connecting-to-resources",
    "culture-language-and-interpreters",
    "after-the-visit",
    "visiting-in-hartford",  # Hartford's own module (`district = "Hartford"`): not part of the certificate
]
FIRST_CALL = "leap-101/03-first-contact-and-the-phone-call.md"


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A copy of the content folder at tmp/courses/content, with messages relative to tmp as they
    are relative to the repository for the real folder."""
    root = tmp_path / "courses" / "content"
    shutil.copytree(content_loader.CONTENT_ROOT, root)
    monkeypatch.setattr(content_loader, "REPO_ROOT", tmp_path)
    return root


def edit(root, name, old, new) -> int:
    """Replace the one `old` in courses/content/`name` by `new`; return the line where `new` starts."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_every_content_file_loads():
    content = load_content()
    assert [course.code for course in content.courses] == ["LEAP-101", "SEHW-101"]
    assert len(content.scenarios) == 6
    used = {block.scenario for course in content.courses for module in course.modules
            for block in module.body if block.kind == "scenario"}
    assert used <= {scenario.slug for scenario in content.scenarios}
    assert content.index.intro.startswith("<p>Training for home visitors: start with <b>LEAP 101</b>")


def test_leap_101_has_its_seven_modules_for_everyone_and_hartfords_own_in_order_and_its_certification_rule():
    leap = load_content().course("LEAP-101")
    assert [module.slug for module in leap.modules] == LEAP_MODULES
    assert (leap.slug, leap.sequential, leap.requires_live_practice, leap.certificate_valid_months) == \
        ("leap-101", True, True, 24)
    assert [module.estimated_minutes for module in leap.modules] == [20, 20, 25, 30, 30, 30, 25, 15]
    assert [(module.district, module.region) for module in leap.modules][-2:] == [("", ""), ("Hartford", "")]
    assert leap.estimated_minutes == 180  # the course for everyone: a district's own module is not in its time
    assert all(module.required for module in leap.modules)
    assert [module.slug for module in leap.modules if module.in_refresher] == [
        "cornerstones-and-the-shift-to-relationships", "the-visit-sequence", "after-the-visit"]
    wellness = load_content().course("SEHW-101")
    assert (len(wellness.modules), wellness.sequential, wellness.requires_live_practice) == (3, False, False)


def test_a_module_body_keeps_its_blocks_in_order_and_its_text_as_one_html_string():
    module = load_content().course("LEAP-101").modules[2]
    assert [block.kind for block in module.body] == ["text", "text", "text", "scenario", "check", "reflection"]
    text = module.body[0].html
    assert text.startswith("<h3>Before you dial</h3><p>Talk with your school coordinator first. Know the")
    # Wrapped lines are one space inside a sentence and nothing between tags.
    assert "best time and number to call. Ask a teacher for <strong>one specific, positive thing</strong>" in text
    assert "school.</p><ul><li>If the family prefers another language" in text
    assert "\n" not in text
    assert module.body[3].scenario == "first-visit-the-first-phone-call"
    assert module.body[3].how_to_use.startswith("Run the call twice: once where the visitors lead with rules")


def test_a_knowledge_check_has_its_questions_correct_choices_and_pass_mark():
    check = load_content().course("LEAP-101").modules[0].body[3]
    assert (check.kind, check.title, check.pass_mark) == ("check", "Check: the cornerstones", 80)
    assert len(check.questions) == 4
    assert [[n for n, choice in enumerate(q.choices) if choice.correct] for q in check.questions] == \
        [[0], [0], [0, 1], [0]]
    assert [len(q.choices) for q in check.questions] == [3, 3, 4, 3]
    third = check.questions[2]
    assert third.prompt == "Which of these show the “voluntary for all” cornerstone? Choose all that apply."
    assert third.choices[1].text == "Staff choose whether to become home visitors."
    assert third.explanation.startswith("Voluntary means the family's answer stands.")


def test_a_named_scenario_has_its_fields():
    scenario = load_content().scenario("first-visit-the-first-phone-call")
    assert scenario.title == "The first phone call: “Is she in trouble?”"
    assert scenario.stage == "first_visit"
    assert scenario.setting.startswith("A phone call from a quiet office at school, Wednesday at 12:15 pm. The")
    assert scenario.role_student.endswith("she calls out “Who is it, Daddy?” partway through the call.")
    assert len(scenario.coach_prompts) == 5 and len(scenario.debrief_questions) == 4
    fields = scenario.model_fields()
    assert fields["coach_prompts"].splitlines()[3] == (
        "He mentioned the inhaler. Resist solving it on the phone. What can you offer to find out, and by when?")
    assert set(fields) == {f.name for f in Scenario._meta.fields} - {"id", "slug", "created_at", "updated_at"}


def test_the_loader_agrees_with_the_models_on_stages_and_lengths():
    assert content_loader.STAGES == tuple(Scenario.Stage.values)
    assert Scenario._meta.get_field("title").max_length == 200
    assert Scenario._meta.get_field("slug").max_length == 120
    assert ChoiceBlock().child_blocks["text"].field.max_length == 400
    assert ScenarioBlock().child_blocks["how_to_use"].field.max_length == 300
    assert KnowledgeCheckBlock().child_blocks["title"].field.max_length == 200
    assert (KnowledgeCheckBlock().child_blocks["pass_mark"].meta.default, content_loader.KnowledgeCheck.pass_mark) == (80, 80)


def test_a_message_names_the_file_relative_to_the_repository():
    assert content_loader._display(content_loader.CONTENT_ROOT / FIRST_CALL) == f"courses/content/{FIRST_CALL}"


FIRST_CALL_PATH = f"courses/content/{FIRST_CALL}"

# (file, text to replace, replacement, expected message; {line} is where the replacement starts,
# moved by the offset when the problem is reported on a neighbouring line)
MALFORMED = {
    "missing field": (FIRST_CALL, 'title = "First contact: the phone call"\n', "",
                      f"{FIRST_CALL_PATH}:1: missing field 'title'", 0),
    "wrong type": (FIRST_CALL, "estimated_minutes = 25", 'estimated_minutes = "25"',
                   f"{FIRST_CALL_PATH}:{{line}}: estimated_minutes: must be a whole number, not the text '25'", 0),
    "bad TOML syntax": (FIRST_CALL, "pass_mark = 80", "pass_mark 80",
                        f"{FIRST_CALL_PATH}:{{line}}: bad TOML: Expected '=' after a key in a key/value pair", 0),
    "unknown block": (FIRST_CALL, "::: reflection", "::: quiz",
                      f"{FIRST_CALL_PATH}:{{line}}: unknown block kind 'quiz' (use one of: text, scenario, "
                      "check, reflection)", 0),
    "unknown scenario": (FIRST_CALL, 'scenario = "first-visit-the-first-phone-call"',
                         'scenario = "first-visit-the-last-phone-call"',
                         f"{FIRST_CALL_PATH}:{{line}}: scenario: no scenario with the slug "
                         "'first-visit-the-last-phone-call' in the scenarios folder", 0),
    "no correct choice": (FIRST_CALL, '"""[x] Your name, that', '"""[ ] Your name, that',
                          f"{FIRST_CALL_PATH}:{{line}}: questions[2].choices: mark at least one choice as "
                          "correct with [x]", -1),
    "choice without a mark": (FIRST_CALL, '"[ ] “I can\'t really say', '"“I can\'t really say',
                              f"{FIRST_CALL_PATH}:{{line}}: questions[1].choices[3]: start the choice with "
                              "'[x] ' (a correct choice) or '[ ] ' (a wrong one)", 0),
    "pass mark out of range": (FIRST_CALL, "pass_mark = 80", "pass_mark = 120",
                               f"{FIRST_CALL_PATH}:{{line}}: pass_mark: must be from 1 to 100, not 120", 0),
    "misspelt field": (FIRST_CALL, "in_refresher = false\n", "in_refresher = false\nlevel = 2\n",
                       f"{FIRST_CALL_PATH}:{{line}}: level: unknown field 'level' (expected one of: "
                       "district, estimated_minutes, in_refresher, region, required, slug, title)", 1),
    "district and region": ("leap-101/08-visiting-in-hartford.md", 'in_refresher = false\n',
                            'in_refresher = false\nregion = "CREC"\n',
                            "courses/content/leap-101/08-visiting-in-hartford.md:{line}: region: a module is for one "
                            "district or one region, not both: remove one of them", 1),
    "duplicate module slug": ("leap-101/04-the-first-visit-listening-for-hopes.md",
                              'slug = "the-first-visit-listening-for-hopes"', 'slug = "first-contact-and-the-phone-call"',
                              "courses/content/leap-101/04-the-first-visit-listening-for-hopes.md:{line}: slug: "
                              f"'first-contact-and-the-phone-call' is already the slug of {FIRST_CALL_PATH}", 0),
    "duplicate scenario slug": ("scenarios/second-visit-meeting-the-teacher.md",
                                'slug = "second-visit-meeting-the-teacher"', 'slug = "first-visit-a-wary-welcome"',
                                "courses/content/scenarios/second-visit-meeting-the-teacher.md:{line}: slug: "
                                "'first-visit-a-wary-welcome' is already the slug of "
                                "courses/content/scenarios/first-visit-a-wary-welcome.md", 0),
    "unknown scenario section": ("scenarios/first-visit-a-wary-welcome.md", "## Setting\n", "## Settings\n",
                                 "courses/content/scenarios/first-visit-a-wary-welcome.md:{line}: unknown section "
                                 "'## Settings'", 0),
    "HTML tag closed wrongly": (FIRST_CALL, "<h3>Before you dial</h3>", "<h3>Before you dial</h4>",
                                f"{FIRST_CALL_PATH}:{{line}}: text: </h4> closes nothing open here (expected </h3>)",
                                -1),
    "course field of the wrong type": ("leap-101/course.toml", "sequential = true", 'sequential = "yes"',
                                       "courses/content/leap-101/course.toml:{line}: sequential: must be true or "
                                       "false, not the text 'yes'", 0),
    "listed module file missing": ("leap-101/course.toml", '"03-first-contact-and-the-phone-call.md"',
                                   '"03-first-contact.md"',
                                   "courses/content/leap-101/course.toml:{line}: modules[3]: no module file "
                                   "'03-first-contact.md' in courses/content/leap-101/", 0),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_content_file_names_the_file_and_the_field(content_copy, case):
    name, old, new, expected, offset = case
    line = edit(content_copy, name, old, new)
    with pytest.raises(ContentError) as refused:
        load_content(content_copy)
    message = str(refused.value)
    assert message.startswith(expected.format(line=line + offset)), message
    assert "\n" not in message
    assert isinstance(refused.value, CourseError)


def test_a_module_file_not_listed_in_its_course_is_refused(content_copy):
    shutil.copy(content_copy / FIRST_CALL, content_copy / "leap-101" / "08-a-draft.md")
    with pytest.raises(ContentError, match=r"^courses/content/leap-101/course.toml:\d+: modules: the module file "
                                           r"'08-a-draft.md' is not listed"):
        load_content(content_copy)


def test_a_block_left_open_is_reported_at_its_first_line(content_copy):
    text = (content_copy / FIRST_CALL).read_text(encoding="utf-8")
    (content_copy / FIRST_CALL).write_text(text.removesuffix(":::\n"), encoding="utf-8")
    opened = text.splitlines().index("::: reflection") + 1
    with pytest.raises(ContentError, match=f"^{FIRST_CALL_PATH}:{opened}: the '::: reflection' block is never "
                                           "closed with ':::'$"):
        load_content(content_copy)


def test_a_bad_toml_line_is_counted_from_the_top_of_the_file(content_copy):
    line = edit(content_copy, FIRST_CALL, 'title = "Check: the first call"', 'title = "Check: the first call')
    with pytest.raises(ContentError) as refused:
        load_content(content_copy)
    assert refused.value.path == FIRST_CALL_PATH and refused.value.line == line
    assert refused.value.problem.startswith("bad TOML: ")
