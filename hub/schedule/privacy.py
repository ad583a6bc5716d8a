"""What the scheduled jobs hold about a person (registered into hub.privacy from ScheduleConfig.ready()):
only who pressed "run now" on a run."""

from hub.privacy.registry import PERSON, holding_register, keep

holding_register(
    "scheduled.Run", subject=PERSON, find="requested_by", section="Scheduled jobs you ran by hand",
    fields=[("Job", "job"), ("Asked at", "created_at"), ("State", "state")],
    erase=keep(), reason="The record of which job ran when stays; the account is anonymised.")
