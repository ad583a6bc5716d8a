"""Writes of the shared layer: people, roles and the Wagtail site."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission, Locale, Page, Site

from hub.errors import InvalidPerson
from hub.models import District, HomePage, Language, Partner, Person, Region, School
from hub.roles import (
    ALL_ROLES,
    CONTENT_EDITORS,
    COORDINATOR,
    EDITOR_MODEL_PERMISSIONS,
    REGIONAL_STAFF,
    VISITOR,
)
from hub.text import normalise_name

HOME_INTRO = (
    "<p>The Home Visit Hub is where home visitors learn, practise and support each other. "
    "New visitors take <b>LEAP 101</b> before their first visit; everyone is welcome at Connection "
    "Sessions and Talk Tuesdays; coordinators see who is trained and pair certified visitors with "
    "families who have said yes to a visit.</p>"
    "<p>Home visits are about relationships, not enforcement: we go to learn from families about "
    "their hopes for their child.</p>"
)


@transaction.atomic
def site_ensure(*, intro: str = HOME_INTRO) -> HomePage:
    """The home page at the root of the tree and the default Site pointing at it (idempotent).

    Wagtail's own migration makes a placeholder "Welcome" page; it is replaced by our HomePage.
    Tests call this too, since a flushed database loses the migration-made pages.
    """
    locale = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    home = HomePage.objects.first()
    if home is None:
        for placeholder in root.get_children().filter(slug="home").exclude(content_type__model="homepage"):
            placeholder.delete()
        home = HomePage(title="Home Visit Hub", slug="home", intro=intro, locale=locale)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Home Visit Hub")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """The role groups; the roles that edit content get the Wagtail admin, page permissions on
    the whole tree and the model permissions of `hub.roles.EDITOR_MODEL_PERMISSIONS`. About ten queries
    once everything is in place (every new person runs this)."""
    groups = {g.name: g for g in Group.objects.filter(name__in=ALL_ROLES)}
    missing = [name for name in ALL_ROLES if name not in groups]
    if missing:
        Group.objects.bulk_create([Group(name=name) for name in missing], ignore_conflicts=True)
        groups = {g.name: g for g in Group.objects.filter(name__in=ALL_ROLES)}
    wanted = [perm.split(".", 1) for perm in EDITOR_MODEL_PERMISSIONS]
    page_codenames = ("add_page", "change_page", "publish_page")
    found = list(Permission.objects.filter(
        Q(content_type__app_label="wagtailadmin", codename="access_admin")
        | Q(content_type__app_label="wagtailcore", codename__in=page_codenames)
        | Q(codename__in=[c for _, c in wanted])).select_related("content_type"))
    by_key = {(p.content_type.app_label, p.codename): p for p in found}
    access_admin = by_key[("wagtailadmin", "access_admin")]
    model_permissions = [p for p in found if [p.content_type.app_label, p.codename] in wanted]
    home = HomePage.objects.first()
    # Guard: visitors (and families, who have no account) never get the admin, whatever was granted.
    groups[VISITOR].permissions.remove(access_admin)
    editors = [groups[name] for name in CONTENT_EDITORS]
    granted = Group.permissions.through
    granted.objects.bulk_create([granted(group_id=group.pk, permission_id=permission.pk) for group in editors
                                 for permission in [access_admin, *model_permissions]], ignore_conflicts=True)
    if home is not None:
        page_permissions = [by_key[("wagtailcore", codename)] for codename in page_codenames]
        have = set(GroupPagePermission.objects.filter(group__in=editors, page=home)
                   .values_list("group_id", "permission_id"))
        GroupPagePermission.objects.bulk_create([
            GroupPagePermission(group=group, page=home, permission=permission)
            for group in editors for permission in page_permissions if (group.pk, permission.pk) not in have])
    return groups


@transaction.atomic
def person_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    roles: tuple[str, ...] = (),
    home_district: District | None = None,
    region: Region | None = None,
    school: School | None = None,
    partner: Partner | None = None,
    languages: tuple[Language, ...] = (),
    job_title: str = "",
) -> Person:
    """A user with a profile and roles. Refuses a profile that contradicts itself."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise InvalidPerson(f"Unknown role: {', '.join(sorted(unknown))}.")
    if school is not None and home_district is not None and school.district_id != home_district.pk:
        raise InvalidPerson(f"{school} is not in {home_district}.")
    if school is not None and home_district is None:
        home_district = school.district
    if COORDINATOR in roles and home_district is None:
        raise InvalidPerson("A coordinator needs a home district.")
    if REGIONAL_STAFF in roles and region is None:
        raise InvalidPerson("Regional staff need a region.")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidPerson(f"The user name {username!r} is taken.")
    # Names in NFC (hub.text): "José" typed on a phone that sends NFD is the same stored name.
    user = User(username=username, email=email, first_name=normalise_name(first_name),
                last_name=normalise_name(last_name))
    user.is_staff = bool(set(roles) & CONTENT_EDITORS)  # django-filer's picker needs is_staff
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    groups = roles_ensure()
    user.groups.set([groups[name] for name in roles])
    person = Person.objects.create(
        user=user, home_district=home_district, region=region, school=school, partner=partner,
        job_title=job_title,
    )
    person.languages.set(languages)
    return person


def sessions_end_all(*, user) -> int:
    """Sign the person out everywhere: every session (every browser, phone and tab) ends now, and every
    open socket of theirs closes, on every server process. Returns how many sessions ended."""
    from django.db import transaction

    from hub.models import UserSession
    from hub.sockets import sockets_end

    ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
    user_id = user.pk
    transaction.on_commit(lambda: sockets_end(user_id=user_id))
    return ended
