"""This app's scheduled job (hub.schedule), registered in RoundtableConfig.ready(): the retention purge of
families' contact details, daily at 02:15, through the same service as `manage.py purge_roundtable_contacts`."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.schedule.registry import Daily, Job
from hub.schedule.tasks import scheduled_task
from roundtable.services import contacts_purge, retention_days


@scheduled_task
def roundtable_contacts_purge() -> str:
    days = retention_days()
    purged = contacts_purge(days=days)
    return ngettext("Contact details of %(n)s sign-up removed (roundtables ended more than %(days)s days ago)",
                    "Contact details of %(n)s sign-ups removed (roundtables ended more than %(days)s days ago)",
                    purged) % {"n": purged, "days": days}


JOBS = [Job("purge_roundtable_contacts", roundtable_contacts_purge, Daily(time(2, 15)),
            label=_("Roundtable contacts purge"),
            description=_("Removes families' contact details a set number of days after each roundtable; "
                          "counts and insights stay."))]
