"""What hub's own models and the third-party apps hold about a person (registered by
PrivacyConfig.ready()).

Accounts are never deleted: foreign keys from training, sessions, cases and audit trails keep pointing
at the account, which erasure anonymises (no name, email or password; inactive). So counts and audit
trails stay, and nobody can be recognised from them. Each registration applies only when its app is
installed (django-otp and django-axes may be absent).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.privacy.registry import (
    PERSON,
    REMOVED,
    anonymise,
    custom,
    delete,
    exempt_register,
    holding_register,
    keep,
)

STAFF_ACT = "who did it, for the record; it keeps pointing at the account, which erasure anonymises"


def _user_erase(queryset, subject, now) -> int:
    """deactivate the account; remove its password, email and name (user name becomes removed-…)"""
    count = 0
    for user in queryset:
        user.username = f"removed-{subject.ref[:12]}"
        user.first_name, user.last_name, user.email = REMOVED, "", ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.save()
        user.user_permissions.clear()
        count += 1
    return count


def _person_erase(queryset, subject, now) -> int:
    """remove the job title and languages; keep district, school, partner and roles for the counts"""
    count = 0
    for person in queryset:
        person.job_title = ""
        person.save(update_fields=["job_title", "updated_at"])
        person.languages.clear()
        count += 1
    return count


def _roles(user) -> str:
    return ", ".join(sorted(user.groups.values_list("name", flat=True)))


def _sessions_of(subject):
    from hub.models import UserSession

    return UserSession.objects.filter(user_id=subject.user.pk)


def _old_sessions_of(subject):
    """Django's own session table, used before the Hub's session engine (hub.UserSession): read only
    to erase what is left in it."""
    from django.contrib.sessions.models import Session

    wanted = str(subject.user.pk)
    ids = [s.pk for s in Session.objects.filter(expire_date__gt=timezone.now())
           if s.get_decoded().get("_auth_user_id") == wanted]
    return Session.objects.filter(pk__in=ids)


def _log_entries_about(subject):
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from hub.models import Person

    user_type = ContentType.objects.get_for_model(get_user_model())
    person_type = ContentType.objects.get_for_model(Person)
    about = LogEntry.objects.filter(content_type=user_type, object_id=str(subject.user.pk))
    if subject.person is not None:
        about = about | LogEntry.objects.filter(content_type=person_type, object_id=str(subject.person.pk))
    return about


def _profile_erase(queryset, subject, now) -> int:
    """delete the Wagtail profile and its avatar file"""
    count = 0
    for profile in queryset:
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
        count += 1
    return count


def _axes_find(model_label):
    def find(subject):
        from django.apps import apps

        return apps.get_model(model_label)._default_manager.filter(username__iexact=subject.username)

    return find


def register() -> None:
    User = get_user_model()
    user_label = User._meta.label
    # -- the account and the profile --------------------------------------------------------------------
    holding_register(
        user_label, subject=PERSON, find="pk", section="Your account",
        fields=[("User name", "username"), ("First name", "first_name"), ("Last name", "last_name"),
                ("Email", "email"), ("Joined", "date_joined"), ("Last sign-in", "last_login"),
                ("Active", "is_active"), ("Roles", _roles)],
        erase=custom(_user_erase), order=100,
        reason="The account you sign in with. Erasure keeps the row (so counts and audit trails still "
               "add up) but removes name, email and password and switches it off.")
    holding_register(
        "hub.Person", subject=PERSON, find="user", section="Your profile",
        fields=[("Job title", "job_title"), ("Home district", "home_district"), ("Region", "region"),
                ("School", "school"), ("Community partner", "partner"), ("Languages", "languages")],
        erase=custom(_person_erase), order=90,
        reason="Where you work decides which districts you see and serve; kept (without job title and "
               "languages) for the district counts.")
    exempt_register("privacy.PrivacyRequest", reason="The audit of privacy requests itself: a keyed hash of the "
                    "subject, the operator and counts, never the subject's data.")

    # -- Django -------------------------------------------------------------------------------------------
    holding_register(
        "hub.UserSession", subject=PERSON, find=_sessions_of, section="Signed-in browsers",
        fields=[("Expires", "expire_date")], erase=delete(), order=10,
        reason="Keeps you signed in; erasure signs every browser out.")
    holding_register(
        "sessions.Session", subject=PERSON, find=_old_sessions_of, section="Signed-in browsers (before 2026-12)",
        fields=[("Expires", "expire_date")], erase=delete(), order=10,
        reason="Keeps you signed in; erasure signs every browser out.")
    holding_register(
        "admin.LogEntry", subject=PERSON, find="user", section="Changes you made in the admin",
        fields=[("When", "action_time"), ("What", "object_repr"), ("Change", "change_message")],
        erase=keep(), reason=f"Django admin history: {STAFF_ACT}.")
    holding_register(
        "admin.LogEntry", subject=PERSON, find=_log_entries_about, section="Admin changes to your account",
        fields=[("When", "action_time"), ("Change", "change_message")],
        erase=anonymise(object_repr=REMOVED), reason="The history stays; your name in it goes.")
    # -- Wagtail --------------------------------------------------------------------------------------------
    holding_register(
        "wagtailusers.UserProfile", subject=PERSON, find="user", section="Editor preferences",
        fields=[("Language", "preferred_language"), ("Time zone", "current_time_zone")],
        erase=custom(_profile_erase), reason="Wagtail editor preferences and avatar.")
    for label in ("wagtaildocs.Document", "wagtailimages.Image"):
        holding_register(
            label, subject=PERSON, find="uploaded_by_user", fields=[("Title", "title"), ("Uploaded", "created_at")],
            erase=anonymise(uploaded_by_user=None),
            reason="Site media you uploaded: it belongs to the site; the link to you goes.")
    holding_register("wagtailcore.UploadedFile", subject=PERSON, find="uploaded_by_user", erase=delete(),
                     reason="Half-finished uploads in the editor.")
    for label in ("wagtailadmin.EditingSession", "wagtailadmin.FormState", "wagtailcore.APIToken",
                  "wagtailcore.PageSubscription"):
        holding_register(label, subject=PERSON, find="user", erase=delete(),
                         reason="Editor session state and notification subscriptions: nothing to keep.")
    for label in ("wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry", "wagtailcore.Revision"):
        holding_register(label, subject=PERSON, find="user",
                         fields=[("When", "timestamp" if "LogEntry" in label else "created_at"),
                                 ("What", "label" if "LogEntry" in label else "object_str")],
                         section="Site edits" if "LogEntry" in label else "Page revisions you saved",
                         erase=keep(), reason=f"Wagtail's edit history: {STAFF_ACT}.")
    holding_register("wagtailcore.WorkflowState", subject=PERSON, find="requested_by", erase=keep(),
                     reason=f"Publishing workflow: {STAFF_ACT}.")
    holding_register("wagtailcore.TaskState", subject=PERSON, find="finished_by", erase=keep(),
                     reason=f"Publishing workflow: {STAFF_ACT}.")
    holding_register("wagtailcore.Page", subject=PERSON, find="owner", section="Pages you created",
                     fields=[("Title", "title"), ("First published", "first_published_at")], erase=keep(),
                     reason=f"Site content belongs to the site; owner is {STAFF_ACT}.")
    holding_register("wagtailcore.Page", subject=PERSON, find="locked_by",
                     erase=anonymise(locked_by=None, locked=False, locked_at=None),
                     reason="A lock you hold on a page is released.")
    holding_register("wagtailcore.Comment", subject=PERSON, find="user", section="Editor comments",
                     fields=[("Page", "page.title"), ("Comment", "text"), ("When", "created_at")],
                     erase=anonymise(text=REMOVED), reason="Your words go; the thread stays in order.")
    holding_register("wagtailcore.Comment", subject=PERSON, find="resolved_by", erase=keep(),
                     reason=f"Resolving a comment: {STAFF_ACT}.")
    holding_register("wagtailcore.CommentReply", subject=PERSON, find="user",
                     fields=[("Reply", "text"), ("When", "created_at")],
                     erase=anonymise(text=REMOVED), reason="Your words go; the thread stays in order.")
    # -- django-scheduler and django-filer -------------------------------------------------------------------
    holding_register("schedule.Event", subject=PERSON, find="creator", erase=keep(),
                     reason=f"Calendar events behind live sessions: {STAFF_ACT}.")
    for label in ("filer.Folder", "filer.File"):
        holding_register(label, subject=PERSON, find="owner", fields=[("Name", "name")],
                         erase=anonymise(owner=None),
                         reason="Site files and folders stay with the site; the owner link goes.")
    holding_register("filer.FolderPermission", subject=PERSON, find="user", erase=delete(),
                     reason="Access you were given to a folder.")
    holding_register("filer.Clipboard", subject=PERSON, find="user", erase=delete(),
                     reason="Your filer clipboard (files stay in their folders).")
    # -- two-step sign-in and sign-in protection (when installed) -------------------------------------------
    for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice", "otp_email.EmailDevice"):
        holding_register(label, subject=PERSON, find="user", section="Two-step sign-in devices",
                         fields=[("Name", "name"), ("Confirmed", "confirmed")], erase=delete(),
                         reason="Your second factor: of no use once the account is switched off.")
    exempt_register("otp_static.StaticToken", reason="Backup codes of a StaticDevice: deleted with it.")
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        holding_register(label, subject=PERSON, find=_axes_find(label), section="Sign-in attempts",
                         fields=[("When", "attempt_time"), ("IP address", "ip_address"),
                                 ("Browser", "user_agent"), ("Page", "path_info")],
                         erase=delete(), order=10,
                         reason="Sign-in protection (user name, IP address, browser); found by user name.")
