"""This app's scheduled job (hub.schedule), registered in SessionsConfig.ready(): session reminders, hourly,
through the same service as `manage.py send_session_reminders`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.schedule.registry import Every, Job
from hub.schedule.tasks import scheduled_task
from sessions.services import reminders_send


@scheduled_task
def session_reminders() -> str:
    sent = reminders_send()
    return ngettext("%(n)s reminder queued", "%(n)s reminders queued", sent) % {"n": sent}


JOBS = [Job("send_session_reminders", session_reminders, Every(minutes=60), label=_("Session reminders"),
            description=_("Emails each confirmed registrant once, about a day before their session."))]
