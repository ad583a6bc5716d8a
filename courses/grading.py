"""Grading a knowledge check: a pure function of the block and the answers, no database.

`courses.services.knowledge_check_submit` grades a submission with it (answers are graded on the
server, never trusted from the browser), and `courses.selectors.module_view` grades the latest stored
attempt again to show its result; so it lives here, below both.
"""

from dataclasses import dataclass, field

# Tries without passing after which a knowledge check shows its right answers, unless its trainer chose
# otherwise (the block's `reveal_after`; 0 shows them only once the check is passed).
DEFAULT_REVEAL_AFTER = 3


@dataclass
class QuestionResult:
    number: int
    prompt: str
    correct: bool
    chosen: list[int]
    right_choices: list[int]
    explanation: str


@dataclass
class CheckResult:
    check_id: str
    score: int
    passed: bool
    pass_mark: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def wrong(self) -> list[QuestionResult]:
        return [q for q in self.questions if not q.correct]


def grade(check_block, answers: dict) -> CheckResult:
    """Grade {question number: [choice numbers]} against a knowledge-check block."""
    value = check_block.value
    questions = list(value["questions"])
    results = []
    for number, question in enumerate(questions):
        chosen = answers.get(number, [])
        right = [i for i, choice in enumerate(question["choices"]) if choice["correct"]]
        results.append(QuestionResult(number=number, prompt=question["prompt"], correct=sorted(chosen) == right,
                                      chosen=sorted(chosen), right_choices=right,
                                      explanation=question["explanation"]))
    score = round(100 * sum(r.correct for r in results) / len(results)) if results else 0
    return CheckResult(check_id=check_block.id, score=score, passed=score >= value["pass_mark"],
                       pass_mark=value["pass_mark"], questions=results)


def answers_shown(check_value, *, tries: int, passed: bool) -> bool:
    """May the person see the right answers and explanations of this check? Once they have passed it, or
    after the trainer's number of tries (`reveal_after`). Before that a wrong answer says only which
    questions to look at again (and the section to re-read), so the feedback never gives the answer away.
    `courses.selectors.module_view` asks it; the page renders the answers only when it says yes."""
    if passed:
        return True
    reveal_after = check_value.get("reveal_after")
    if reveal_after is None:
        reveal_after = DEFAULT_REVEAL_AFTER
    return reveal_after > 0 and tries >= reveal_after
