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
