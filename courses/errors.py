"""Refusals of the courses rules. `str(error)` is written for the visitor or trainer."""

from hub.errors import HubError


class CourseError(HubError):
    pass


class NotAvailable(CourseError):
    """The course or module is not published, or does not exist."""


class NotEnrolled(CourseError):
    pass


class ModuleLocked(CourseError):
    pass


class InvalidAnswers(CourseError):
    pass


class ChecksNotPassed(CourseError):
    pass


class ReflectionTooLong(CourseError):
    pass


class UnknownCourse(CourseError):
    pass


class CertificateError(CourseError):
    pass


class ContentError(CourseError):
    """A course content file (courses/content/) is malformed. The message is for the trainer who edits
    the file: it names the file (relative to the repository), the line when it is known, and the field,
    e.g. ``courses/content/leap-101/03-first-contact.md:88: questions[2].choices: mark at least one
    choice as correct``."""

    def __init__(self, path: str, problem: str, *, field: str = "", line: int | None = None):
        self.path, self.problem, self.field, self.line = path, problem, field, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


class ObservationRefused(CourseError):
    """A coach's observation the rule refuses; nothing is written. `code` says which rule."""

    code = "refused"


class NotACoach(ObservationRefused):
    code = "not_a_coach"


class PracticeNotOfCourse(ObservationRefused):
    code = "practice_not_of_course"


class NotAtPractice(ObservationRefused):
    code = "not_at_practice"


class ScenarioNotInCourse(ObservationRefused):
    code = "scenario_not_in_course"


class InvalidObservation(ObservationRefused):
    code = "invalid"
