from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = "Courses and certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses import views
        from courses.models import page_views_register
        from courses.selectors import certificate_message_reason
        from hub.navigation import NavItem, nav_register
        from hub.outbox.relevance import relevance_register

        relevance_register("courses.certificate", certificate_message_reason)  # no reminder about a revoked one
        from hub.roles import STATE_STAFF, TRAINER, editor_permissions_register

        editor_permissions_register("courses.add_scenario", "courses.change_scenario", "courses.delete_scenario")

        nav_register(NavItem("My training", "courses:my_training", order=10))
        from django.utils.translation import gettext_lazy as _

        nav_register(NavItem(_("Courses"), "/courses/", public=True, order=11))
        nav_register(NavItem("Certificates", "courses:certificate_list", roles=frozenset({TRAINER, STATE_STAFF}),
                             order=60))
        nav_register(NavItem(_("Course analytics"), "courses:analytics", roles=frozenset({TRAINER, STATE_STAFF}),
                             order=61))
        nav_register(NavItem(_("Coaches"), "courses:coaches", roles=frozenset({TRAINER, STATE_STAFF}), order=62))
        # The statewide discussion room: anyone enrolled in LEAP 101.
        from hub.discussion.selectors import community_member_register
        from hub.program import CERTIFICATION_COURSE

        community_member_register(lambda *, user: self.get_model("Enrollment").objects.filter(
            person__user=user, course__code=CERTIFICATION_COURSE).exists())
        # The practitioners' room: anyone holding a current certificate of the program's course, by the same
        # rule the assignment gate asks (certification_statuses), so it follows every issue, expiry and
        # revocation at once.
        from hub.discussion.selectors import practitioner_member_register

        def holds_current_certificate(*, user) -> bool:
            from courses.selectors import certification_statuses
            from hub.selectors import person_for

            person = person_for(user)
            if person is None:
                return False
            return certification_statuses(people=[person.pk], course_code=CERTIFICATION_COURSE)[person.pk].is_current

        practitioner_member_register(holds_current_certificate)
        # New people start on LEAP 101's course page when they accept an invitation (hub.joining).
        from hub.joining.selectors import landing_register

        def leap_101_url():
            course = self.get_model("CoursePage").objects.live().filter(code=CERTIFICATION_COURSE).first()
            return course.url if course is not None else None

        landing_register(leap_101_url)
        import courses.privacy  # noqa: F401 - registers what this app holds (hub.privacy)
        from courses.reasons import MESSAGES
        from hub.reasons import reason_messages_register

        reason_messages_register(MESSAGES)
        page_views_register(index_rows=views.course_index_rows, course=views.course_serve,
                            module=views.module_serve)
        from courses.analytics_selectors import analytics_section_register, observation_section

        analytics_section_register("observations", observation_section)  # coach observations per scenario
        from courses import scheduled
        from hub.schedule.registry import job_register

        job_register(*scheduled.JOBS)  # hub.schedule: this app's scheduled jobs
