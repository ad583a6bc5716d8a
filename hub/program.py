"""The program's own constants, each read from one setting (hub/settings/base.py):

- `PROGRAM_TZ`: the program's time zone (`TIME_ZONE`, Connecticut's). Sessions, reminders, roundtables
  and calendar feeds are in this zone, so a 6 pm session stays at 6 pm across daylight saving time.
- `CERTIFICATION_COURSE`: the code of the course whose current certificate clears a visitor to be given
  families (`CERTIFICATION_COURSE_CODE`, LEAP 101); the gate, the roster, the board and the live
  practice credit all ask about this course.
"""

from zoneinfo import ZoneInfo

from django.conf import settings

PROGRAM_TZ = ZoneInfo(settings.TIME_ZONE)
CERTIFICATION_COURSE = settings.CERTIFICATION_COURSE_CODE
