from django.utils.translation import gettext_lazy as _


class ScheduleError(Exception):
    default = _("The job could not be queued.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default))


class UnknownJob(ScheduleError):
    default = _("There is no such job.")


class AlreadyQueued(ScheduleError):
    default = _("This job is already queued or running: it was not queued again.")


class NotAllowed(ScheduleError):
    default = _("Only staff run scheduled jobs.")
