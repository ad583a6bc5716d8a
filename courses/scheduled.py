"""This app's scheduled jobs (hub.schedule), registered in CoursesConfig.ready(): certificate reminders and
lapse notices, daily at 07:30, through the same service as `manage.py send_certificate_reminders`; and every
10 minutes, open sockets of people whose certificate just ran out re-check what they may read
(`manage.py announce_certificate_lapses`)."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.services import certificate_lapses_announce, certificate_reminders_send
from hub.schedule.registry import Daily, Every, Job
from hub.schedule.tasks import scheduled_task


@scheduled_task
def certificate_reminders() -> str:
    sent = certificate_reminders_send()
    return "; ".join((
        ngettext("%(n)s visitor reminder queued", "%(n)s visitor reminders queued", sent["visitor"])
        % {"n": sent["visitor"]},
        ngettext("%(n)s coordinator notice queued", "%(n)s coordinator notices queued", sent["coordinator"])
        % {"n": sent["coordinator"]}))


@scheduled_task
def certificate_lapses() -> str:
    told = certificate_lapses_announce()
    return ngettext("%(n)s person whose certificate ran out told", "%(n)s people whose certificate ran out told",
                    told) % {"n": told}


JOBS = [Job("send_certificate_reminders", certificate_reminders, Daily(time(7, 30)),
            label=_("Certificate reminders and lapse warnings"),
            description=_("Tells visitors 90, 30 and 7 days before their certificate expires, and the "
                          "coordinators of visitors with open cases.")),
        Job("announce_certificate_lapses", certificate_lapses, Every(10),
            label=_("Certificate lapses reach open pages"),
            description=_("Every 10 minutes: the open pages and chats of people whose certificate just ran "
                          "out stop showing what it allowed (the certified visitors' room)."))]
