from django.apps import AppConfig


def _load_full_occurrence_rows(sender, instance, **kwargs):
    """Deliberately empty: with a pre_delete receiver connected, Django's delete collector loads whole
    ``schedule.Occurrence`` rows instead of deferred ones, whose ``__init__`` recursed forever
    (DEPENDENCIES.md §4, upstream llazzaro/django-scheduler#443)."""


class SessionsConfig(AppConfig):
    # `sessions` is django.contrib.sessions' label. Use `training_sessions` in every lazy reference
    # and in `makemigrations training_sessions` / `migrate training_sessions` (DEPENDENCIES.md §3).
    name = "sessions"
    label = "training_sessions"
    verbose_name = "Live sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from hub.navigation import NavItem, nav_register
        from hub.roles import STATE_STAFF, TRAINER

        pre_delete.connect(_load_full_occurrence_rows, sender="schedule.Occurrence",
                           dispatch_uid="training_sessions_occurrence_delete_fix")
        nav_register(NavItem("Sessions", "training_sessions:upcoming", order=30))
        from hub.discussion.selectors import session_member_register
        from sessions.models import RecordingIndexPage
        from sessions.selectors import recordings_page, session_refs_readable

        session_member_register(session_refs_readable)
        from courses.selectors import practice_planner_register
        from sessions.selectors import practice_plans

        practice_planner_register(practice_plans)  # My training: the live practice a person has booked
        from courses.selectors import practice_source_register
        from sessions.selectors import OBSERVATION_SOURCE, practice_facts_of

        practice_source_register(OBSERVATION_SOURCE, practice_facts_of)  # coaches' observations at a practice
        RecordingIndexPage.recordings_page = staticmethod(recordings_page)
        from courses.selectors import makeup_planner_register
        from sessions.models import RecordingPage
        from sessions.selectors import makeup_offers, recording_makeup

        RecordingPage.recording_makeup = staticmethod(recording_makeup)
        makeup_planner_register(makeup_offers)  # My training: recordings that make up a missed session
        import sessions.privacy  # noqa: F401 - registers what this app holds (hub.privacy)
        from hub.outbox.relevance import relevance_register
        from sessions.selectors import registration_message_reason

        relevance_register("training_sessions.registration", registration_message_reason)  # skip stale reminders
        nav_register(NavItem("Schedule sessions", "training_sessions:manage",
                             roles=frozenset({TRAINER, STATE_STAFF}), order=85))
        from hub.schedule.registry import job_register
        from sessions import scheduled

        job_register(*scheduled.JOBS)  # hub.schedule: this app's scheduled jobs
