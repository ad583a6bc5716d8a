"""What the courses app holds about a person (registered into hub.privacy from CoursesConfig.ready()).

Training records stay after erasure, attached to the anonymised account, so the counts of trained and
certified visitors do not change; the words a visitor wrote (reflections) are deleted.
"""

from hub.privacy.registry import PERSON, REMOVED, anonymise, delete, holding_register, keep

TRAINING = "Training record: kept for the counts of trained and certified visitors; the account is anonymised."

holding_register(
    "courses.Enrollment", subject=PERSON, find="person__user", section="Courses you started",
    fields=[("Course", "course.code"), ("Started", "created_at"), ("Last activity", "last_activity_at")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.ModuleCompletion", subject=PERSON, find="person__user", section="Modules you completed",
    fields=[("Course", "course.code"), ("Module", "module.title"), ("Completed", "completed_at")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.KnowledgeCheckAttempt", subject=PERSON, find="person__user", section="Knowledge checks",
    fields=[("Module", "module.title"), ("Score (%)", "score"), ("Passed", "passed"), ("When", "created_at"),
            ("Answers", "answers")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.Reflection", subject=PERSON, find="person__user", section="Your reflections",
    fields=[("Module", "module.title"), ("Reflection", "text"), ("Last saved", "updated_at")],
    erase=delete(), reason="Private words you wrote while training; nobody else needs them.")
holding_register(
    "courses.PracticeCredit", subject=PERSON, find="person__user", section="Live practice credits",
    fields=[("Course", "course.code"), ("Attended on", "attended_on"), ("Reported by", "source")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.Certificate", subject=PERSON, find="person__user", section="Your certificates",
    fields=[("Course", "course.code"), ("Code", "code"), ("Issued", "issued_at"), ("Valid until", "valid_until"),
            ("Revoked", "revoked_at"), ("Why revoked", "revoke_reason")],
    erase=keep(), reason=TRAINING + " Its public check then shows the name as '(removed)'.")
holding_register(
    "courses.Certificate", subject=PERSON, find="revoked_by", section="Certificates you revoked",
    fields=[("Course", "course.code"), ("Revoked", "revoked_at")],
    erase=keep(), reason="Who revoked a certificate, for the record; the account is anonymised.")
holding_register(
    "courses.Certificate", subject=PERSON, find="reinstated_by", section="Certificates you reinstated",
    fields=[("Course", "course.code"), ("Reinstated", "reinstated_at")],
    erase=keep(), reason="Who reinstated a certificate, for the record; the account is anonymised.")
holding_register(
    "courses.Renewal", subject=PERSON, find="person__user", section="Your renewals",
    fields=[("Course", "course.code"), ("Opened", "opened_at"), ("Closed", "closed_at"), ("Why", "reason")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.Renewal", subject=PERSON, find="opened_by", section="Renewals you opened",
    fields=[("Course", "course.code"), ("Opened", "opened_at")],
    erase=keep(), reason="Who opened a renewal, for the record; the account is anonymised.")
holding_register(
    "courses.CertificateReminder", subject=PERSON, find="certificate__person__user",
    fields=[("Days before expiry", "days_before"), ("Sent", "created_at")],
    section="Certificate reminders", covers=("certificate",),
    erase=anonymise(sent_to=lambda row, subject: f"{REMOVED} {row.pk}"),
    reason="Marks a reminder as sent (so it is sent once); the address it went to goes.")
holding_register(
    "courses.CertificateReminder", subject=PERSON,
    find=lambda subject: _reminders_sent_to(subject),
    erase=anonymise(sent_to=lambda row, subject: f"{REMOVED} {row.pk}"),
    reason="Reminders about other visitors sent to a coordinator: the address goes.")


def _reminders_sent_to(subject):
    from courses.models import CertificateReminder

    if not subject.user.email:
        return CertificateReminder.objects.none()
    return CertificateReminder.objects.filter(sent_to__iexact=subject.user.email)
holding_register(
    "courses.Observation", subject=PERSON, find="participant__user", section="Coach observations of your role plays",
    fields=[("Course", "course.code"), ("Scenario", "scenario.title"), ("Practised on", "practised_on"),
            ("Outcome", "outcome"), ("Rubric marks", "marks"), ("Coach's note", "note")],
    erase=keep(), reason=TRAINING)
holding_register(
    "courses.Observation", subject=PERSON, find="coach__user", section="Role plays you observed as a coach",
    fields=[("Course", "course.code"), ("Scenario", "scenario.title"), ("Practised on", "practised_on"),
            ("Outcome", "outcome")],
    erase=keep(), reason="Who observed a role play, for the record of the certificate it counts towards; the "
                         "account is anonymised.")
holding_register(
    "courses.SessionCredit", subject=PERSON, find="person__user", section="Sessions counted toward your renewal",
    fields=[("Course", "course.code"), ("Session", "title"), ("Held on", "held_on"), ("How", "via")],
    erase=keep(), reason=TRAINING)
