"""The privacy registry accounts for every model that holds personal data (hub.privacy)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from hub.privacy import registry as privacy


def test_every_model_holding_personal_data_is_registered_or_exempt():
    problems = privacy.coverage_problems()
    assert not problems, "\n".join(problems)


@isolate_apps("hub")
def test_the_check_names_a_model_that_points_at_a_person_and_is_not_registered():
    from coordinators.models import StudentCase

    class VisitorNote(models.Model):  # noqa: DJ008
        author = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)

        class Meta:
            app_label = "hub"

    class StudentPhoto(models.Model):  # noqa: DJ008
        case = models.ForeignKey(StudentCase, on_delete=models.CASCADE)

        class Meta:
            app_label = "hub"

    class Newsletter(models.Model):  # noqa: DJ008
        email = models.EmailField()
        ip_address = models.GenericIPAddressField()

        class Meta:
            app_label = "hub"

    class Harmless(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "hub"

    problems = privacy.coverage_problems([VisitorNote, StudentPhoto, Newsletter, Harmless])
    assert len(problems) == 3
    assert problems[0].startswith("hub.VisitorNote holds personal data (author)")
    assert problems[1].startswith("hub.StudentPhoto holds personal data (case)")
    assert problems[2].startswith("hub.Newsletter holds personal data (email, ip_address)")


def test_the_check_names_a_relation_no_holding_covers():
    from coordinators.models import Volunteer

    saved = list(privacy._holdings)
    try:
        privacy._holdings[:] = [h for h in saved if not (h.model == "coordinators.Volunteer"
                                                         and h.find == "partner__user")]
        assert privacy.coverage_problems([Volunteer]) == [
            "coordinators.Volunteer.partner points at hub.Person but no holding of coordinators.Volunteer finds rows "
            "through it (register one, or a field note with a reason)."]
    finally:
        privacy._holdings[:] = saved


def test_registrations_need_a_reason_and_a_known_subject():
    with pytest.raises(ValueError, match="say why"):
        privacy.holding_register("discussion.Message", subject=privacy.PERSON, find="author", erase=privacy.keep(),
                                 reason=" ")
    with pytest.raises(ValueError, match="Unknown subject kind"):
        privacy.holding_register("discussion.Message", subject="pet", find="author", erase=privacy.keep(), reason="x")
    with pytest.raises(ValueError, match="needs a reason"):
        privacy.exempt_register("discussion.Message", reason="")
    # An app that is not installed is skipped, so optional apps can be declared unconditionally.
    assert privacy.holding_register("nothere.Model", subject=privacy.PERSON, find="user", erase=privacy.delete(),
                                    reason="x") is None


def test_third_party_models_are_covered_when_installed():
    registered = {h.model for h in privacy.holdings()} | set(privacy.exemptions())
    for label in ("auth.User", "admin.LogEntry", "sessions.Session", "wagtailusers.UserProfile",
                  "wagtailcore.PageLogEntry", "wagtailcore.Revision", "filer.File", "filer.Folder"):
        assert label in registered
    for app, labels in {"otp_totp": ["otp_totp.TOTPDevice"], "otp_static": ["otp_static.StaticDevice"],
                        "axes": ["axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"]}.items():
        from django.apps import apps

        if apps.is_installed(app) or any(c.label == app for c in apps.get_app_configs()):
            assert set(labels) <= registered


@pytest.mark.django_db
def test_every_lookup_path_of_the_registry_is_a_real_query():
    """A typo in a lookup path would only show up on the day someone asks: run each one now."""
    from hub.models import Person

    person = Person(pk=0)
    user = get_user_model()(pk=0, username="nobody")
    subjects = {
        privacy.PERSON: privacy.Subject(kind=privacy.PERSON, label="x", ref="x", user=user, person=person,
                                        username="nobody", full_name="No Body"),
        privacy.FAMILY: privacy.Subject(kind=privacy.FAMILY, label="x", ref="x", emails=("a@example.org",),
                                        phones=("8605550142",)),
        privacy.STUDENT: privacy.Subject(kind=privacy.STUDENT, label="x", ref="x", case_id=0),
    }
    for holding in privacy.holdings():
        assert holding.queryset(subjects[holding.subject]).count() == 0, holding.model


def test_no_student_record_can_carry_a_file():
    """Student records hold no attachments today; if one ever does, it must not be a public file."""
    assert privacy.student_file_problems() == []


@isolate_apps("hub")
def test_the_file_check_names_a_student_model_with_a_file_field():
    class CaseAttachment(models.Model):  # noqa: DJ008
        upload = models.FileField()

        class Meta:
            app_label = "hub"

    assert privacy.student_file_problems([CaseAttachment]) == [
        "hub.CaseAttachment.upload is a file field on a student record."]
