"""The beat: once a minute, queue each scheduled job's due slot on the task queue (hub.schedule).

    manage.py run_schedule          # loop, a tick at the start of every minute, until SIGTERM / Ctrl-C
    manage.py run_schedule --once   # one tick, then exit (cron, a test, a catch-up by hand)

Any number may run (on several machines): the unique (job, slot) key lets only one queue a slot. A tick
that fails (the database away) is logged and the next minute tries again.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from hub.schedule.services import schedule_tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the scheduled jobs that are due (one tick with --once; otherwise every minute until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one tick and exit.")
        parser.add_argument("--interval", type=float, default=60.0,
                            help="Seconds between ticks when looping (default 60, on the minute).")

    def handle(self, *args, once=False, interval=60.0, **options):
        self.verbosity = options.get("verbosity", 1)
        if once:
            if not self._tick():
                raise CommandError("The tick failed (see the log above).")
            return
        stopping = {"now": False}

        def stop(signum, frame):
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler running: a tick every {interval:g} s (Ctrl-C stops it).")
        self.stdout.flush()
        while not stopping["now"]:
            self._tick()
            # Sleep to the next multiple of the interval (on the minute for 60), in short naps so a stop
            # signal ends the loop at once.
            wake = (time.time() // interval + 1) * interval
            while not stopping["now"] and time.time() < wake:
                time.sleep(min(0.5, max(0.0, wake - time.time())))
        self.stdout.write("Scheduler stopped.")

    def _tick(self) -> bool:
        close_old_connections()
        try:
            runs = schedule_tick()
        except Exception:  # the database away, a migration pending: log it, try at the next tick
            logger.exception("scheduler tick failed")
            self.stderr.write("Scheduler tick failed; trying again at the next one.")
            return False
        for run in runs:
            self.stdout.write(f"Queued {run.job} for {run.slot:%Y-%m-%d %H:%M} UTC ({run.get_trigger_display()}"
                              f"{f', {run.missed_before} earlier slot(s) skipped' if run.missed_before else ''}).")
        if not runs and self.verbosity > 1:
            self.stdout.write("Nothing due.")
        self.stdout.flush()
        return True
