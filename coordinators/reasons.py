"""How the reasons of `coordinators.selectors.eligibility` read: for the visitor themself and about them
(for a coordinator), and the case's own requirements (read by coordinators, so one wording). Registered
from CoordinatorsConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.reasons import listing


def _same(text):
    """A case-level requirement reads the same whoever asks (a coordinator)."""
    return (lambda p: _(text) % p, lambda p: _(text) % p)


def _district_modules(params, *, own: bool) -> str:
    values = {"count": params["count"], "district": params["district"], "modules": listing(params["modules"]),
              "name": params["name"]}
    if own:
        return ngettext("Before you take cases in %(district)s, finish %(count)d module of its own: %(modules)s.",
                        "Before you take cases in %(district)s, finish %(count)d modules of its own: %(modules)s.",
                        values["count"]) % values
    return ngettext("%(name)s still has %(count)d %(district)s module to finish before taking cases there: "
                    "%(modules)s.",
                    "%(name)s still has %(count)d %(district)s modules to finish before taking cases there: "
                    "%(modules)s.", values["count"]) % values


MESSAGES = {
    "district_modules_missing": (lambda p: _district_modules(p, own=True), lambda p: _district_modules(p, own=False)),
    "account_inactive": (
        lambda p: _("Your account is switched off.") % p,
        lambda p: _("%(name)s's account is switched off.") % p,
    ),
    "not_a_visitor": (
        lambda p: _("Only home visitors take cases.") % p,
        lambda p: _("%(name)s is not a home visitor.") % p,
    ),
    "not_serving_district": (
        lambda p: _("You do not serve %(district)s: you are not school staff there, and no community partner "
                    "of yours serves it.") % p,
        lambda p: _("%(name)s does not serve %(district)s (not school staff there, and no community partner "
                    "serving it).") % p,
    ),
    "no_data_sharing_agreement": (
        lambda p: _("%(partner)s has no data-sharing agreement in force with %(district)s yet.") % p,
        lambda p: _("%(name)s works for %(partner)s, which has no data-sharing agreement in force with "
                    "%(district)s.") % p,
    ),
    "case_closed": _same("The case is closed."),
    "family_declined": _same("The family declined a visit; participation is voluntary, so nobody is assigned."),
    "family_not_asked": _same("The family has not said yes to a visit yet: record their answer first."),
    "choose_visitors": _same("Choose the visitors."),
    "chosen_twice": _same("%(visitor)s is chosen twice: a pair needs two different visitors."),
    "pairs_required": (
        lambda p: ngettext("%(district)s sends visitors in pairs: choose two different visitors (%(count)d chosen).",
                           "%(district)s sends visitors in pairs: choose two different visitors (%(count)d chosen).",
                           p["count"]) % p,
        lambda p: ngettext("%(district)s sends visitors in pairs: choose two different visitors (%(count)d chosen).",
                           "%(district)s sends visitors in pairs: choose two different visitors (%(count)d chosen).",
                           p["count"]) % p,
    ),
    "one_or_two": _same("Choose one or two visitors."),
    "visitor_missing": _same("One of the chosen visitors no longer exists."),
    "visitor_unknown": _same("One of the chosen visitors does not exist."),
    "case_not_on_board": _same("There is no such case on this board."),
    "partner_unknown": _same("The person you named as your pair does not exist."),
}
