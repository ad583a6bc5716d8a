"""The site navigation: each app registers what its people can do, and each role sees its own.

Apps register items in their AppConfig.ready(), so `hub` never imports the apps above it.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from hub.roles import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # a URL name, or a literal path starting with "/"
    roles: frozenset[str] | None = None  # None: everyone signed in
    order: int = 50
    public: bool = False  # shown to visitors who are not signed in too


_items: dict[str, NavItem] = {}


def nav_register(item: NavItem) -> None:
    _items[item.url_name] = item


def nav_items_for(user) -> list[tuple[str, str]]:
    """(label, url) pairs for this user, in order."""
    signed_in = user is not None and user.is_authenticated
    roles = roles_of(user) if signed_in else frozenset()
    shown = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if not signed_in and not item.public:
            continue
        if signed_in and item.roles is not None and not (roles & item.roles or user.is_superuser):
            continue
        if item.url_name.startswith("/"):
            shown.append((item.label, item.url_name))
            continue
        try:
            shown.append((item.label, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return shown


@dataclass(frozen=True)
class Entrance:
    """A way in shown on the signed-out home page, beside the staff sign-in (families' roundtables)."""

    label: str
    url_name: str
    lead: str = ""
    order: int = 50


_entrances: dict[str, Entrance] = {}


def entrance_register(entrance: Entrance) -> None:
    _entrances[entrance.url_name] = entrance


def entrances() -> list[tuple[str, str, str]]:
    """(label, url, lead) of the registered ways in, in order."""
    shown = []
    for entrance in sorted(_entrances.values(), key=lambda e: (e.order, e.url_name)):
        try:
            shown.append((entrance.label, reverse(entrance.url_name), entrance.lead))
        except NoReverseMatch:
            continue
    return shown
