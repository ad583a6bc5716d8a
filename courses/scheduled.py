"""This app's scheduled job (hub.schedule), registered in CoursesConfig.ready(): certificate reminders and
lapse notices, daily at 07:30, through the same service as `manage.py send_certificate_reminders`."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.services import certificate_reminders_send
from hub.schedule.registry import Daily, Job
from hub.schedule.tasks import scheduled_task


@scheduled_task
def certificate_reminders() -> str:
    sent = certificate_reminders_send()
    return "; ".join((
        ngettext("%(n)s visitor reminder queued", "%(n)s visitor reminders queued", sent["visitor"])
        % {"n": sent["visitor"]},
        ngettext("%(n)s coordinator notice queued", "%(n)s coordinator notices queued", sent["coordinator"])
        % {"n": sent["coordinator"]}))


JOBS = [Job("send_certificate_reminders", certificate_reminders, Daily(time(7, 30)),
            label=_("Certificate reminders and lapse warnings"),
            description=_("Tells visitors 90, 30 and 7 days before their certificate expires, and the "
                          "coordinators of visitors with open cases."))]
