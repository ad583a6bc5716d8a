"""The one place where role, district and active changes are written to the audit trail.

Every change of a user's Django groups (their roles), of `Person.home_district` or of `User.is_active`
is audited here — who, when, from, to, and through what — whichever code made it: the account-life
services, an invitation, the Django or Wagtail admin, a management command. The rules stay in the
services; these receivers only record what happened (Django's `m2m_changed`, `pre_save`, `post_save`),
so no path can change a role or a district without leaving a trace.

Who did it comes from `changes_by(by=..., via=...)`: the services and invitations name it; for any
other request `hub.membership.middleware.ChangesByRequestMiddleware` names the signed-in user and
"admin" or "web"; outside a request it is nobody, "code".
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from hub.audit.services import audit_record
from hub.models import District, Person

ROLE, DISTRICT, ACTIVE = "person.role", "person.district", "person.active"
NOBODY = "—"

_changes_by: ContextVar[tuple[object, str] | None] = ContextVar("membership_changes_by", default=None)


@contextmanager
def changes_by(*, by, via: str):
    """Changes made inside are recorded as made by `by` (a user, or a callable returning one) through
    `via` ("account life", "invitation 12", "admin"…)."""
    token = _changes_by.set((by, via))
    try:
        yield
    finally:
        _changes_by.reset(token)


def _who() -> tuple[object, str]:
    current = _changes_by.get()
    if current is None:
        return None, "code"
    by, via = current
    if callable(by):
        by = by()
    return by, via


def change_record(*, action: str, user_id: int, before: str, after: str, districts=()) -> None:
    """One audit entry: `action` (ROLE, DISTRICT or ACTIVE) on the account `user_id`, from → to."""
    by, via = _who()
    audit_record(actor=by, action=action, object_type="user", object_id=user_id,
                 districts=[d for d in districts if d], detail=f"{before or NOBODY} → {after or NOBODY} · via {via}")


# --- roles: the user's groups ------------------------------------------------------------------------------

def _group_names(user_ids) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {pk: [] for pk in user_ids}
    for user_id, name in (get_user_model().groups.through.objects.filter(user_id__in=list(user_ids))
                          .values_list("user_id", "group__name").order_by("group__name")):
        names[user_id].append(name)
    return names


def _home_districts(user_ids) -> dict[int, int | None]:
    return dict(Person.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "home_district_id"))


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="membership_roles_audited")
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.add(group)
        user_ids = [instance.pk]
    elif pk_set is not None:  # group.user_set.add(user)
        user_ids = sorted(pk_set)
    else:  # group.user_set.clear(): its members, read before they go
        user_ids = (list(instance.user_set.values_list("pk", flat=True)) if action == "pre_clear"
                    else sorted(getattr(instance, "_membership_roles_before", {})))
    if action.startswith("pre_"):
        instance._membership_roles_before = _group_names(user_ids)
        return
    before = getattr(instance, "_membership_roles_before", {})
    instance.__dict__.pop("_membership_roles_before", None)
    after = _group_names(user_ids)
    districts = _home_districts(user_ids)
    for user_id in user_ids:
        if before.get(user_id, []) != after[user_id]:
            change_record(action=ROLE, user_id=user_id, before=", ".join(before.get(user_id, [])),
                          after=", ".join(after[user_id]), districts=[districts.get(user_id)])


# --- districts: Person.home_district ----------------------------------------------------------------------

def _fields_include(update_fields, name: str) -> bool:
    return update_fields is None or name in update_fields


@receiver(pre_save, sender=Person, dispatch_uid="membership_district_before")
def _district_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _fields_include(update_fields, "home_district"):
        return
    instance._membership_district_before = (
        Person.objects.filter(pk=instance.pk).values_list("home_district_id", flat=True).first()
        if instance.pk else None)


@receiver(post_save, sender=Person, dispatch_uid="membership_district_audited")
def _district_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not hasattr(instance, "_membership_district_before"):
        return
    before = instance.__dict__.pop("_membership_district_before")
    after = instance.home_district_id
    if before == after:
        return
    names = dict(District.objects.filter(pk__in=[d for d in (before, after) if d]).values_list("pk", "name"))
    change_record(action=DISTRICT, user_id=instance.user_id, before=names.get(before, ""),
                  after=names.get(after, ""), districts=[before, after])


# --- active: User.is_active -------------------------------------------------------------------------------

@receiver(pre_save, sender=get_user_model(), dispatch_uid="membership_active_before")
def _active_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.pk or not _fields_include(update_fields, "is_active"):
        return
    instance._membership_active_before = (
        get_user_model().objects.filter(pk=instance.pk).values_list("is_active", flat=True).first())


@receiver(post_save, sender=get_user_model(), dispatch_uid="membership_active_audited")
def _active_changed(sender, instance, raw=False, created=False, **kwargs):
    before = instance.__dict__.pop("_membership_active_before", None)
    if raw or created or before is None or before == instance.is_active:
        return
    change_record(action=ACTIVE, user_id=instance.pk, before="active" if before else "inactive",
                  after="active" if instance.is_active else "inactive",
                  districts=[_home_districts([instance.pk]).get(instance.pk)])

