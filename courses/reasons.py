"""How the certification rule's reasons read (`courses.selectors.CertificationStatus.reasons`), for the
person themself and about them (a coordinator, a trainer). Registered from CoursesConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.reasons import day, listing


def _modules(params, *, own: bool) -> str:
    count, modules, course = params["count"], listing(params["modules"]), params["course"]
    if own:
        return ngettext("You still have %(count)d %(course)s module to finish: %(modules)s.",
                        "You still have %(count)d %(course)s modules to finish: %(modules)s.", count) % {
            "count": count, "course": course, "modules": modules}
    return ngettext("%(name)s still has %(count)d %(course)s module to finish: %(modules)s.",
                    "%(name)s still has %(count)d %(course)s modules to finish: %(modules)s.", count) % {
        "name": params["name"], "count": count, "course": course, "modules": modules}


def _revoked(params, *, own: bool) -> str:
    values = {"course": params["course"], "on": day(params.get("on")), "by": params.get("by") or "",
              "name": params["name"]}
    if own:
        if values["by"]:
            return _("Your %(course)s certificate was revoked on %(on)s by %(by)s.") % values
        return _("Your %(course)s certificate was revoked on %(on)s.") % values
    if values["by"]:
        return _("%(name)s's %(course)s certificate was revoked on %(on)s by %(by)s.") % values
    return _("%(name)s's %(course)s certificate was revoked on %(on)s.") % values


def _renewal(params, *, own: bool, opened: bool) -> str:
    values = {"course": params["course"], "modules": listing(params["modules"]), "name": params["name"]}
    if opened:
        if own:
            return _("Your %(course)s renewal is open: finish %(modules)s, passing their knowledge checks "
                     "again.") % values
        return _("%(name)s's %(course)s renewal is open, with %(modules)s still to finish.") % values
    if own:
        return _("To renew, start the %(course)s renewal on My training and take %(modules)s again.") % values
    return _("%(name)s has not started a %(course)s renewal yet.") % values


def _sessions(params, *, own: bool) -> str:
    count, values = params["count"], {"count": params["count"], "course": params["course"], "name": params["name"]}
    if own:
        return ngettext(
            "Your %(course)s renewal also needs %(count)d session required for renewal: attend one, or watch the "
            "recording of one you missed and answer its question.",
            "Your %(course)s renewal also needs %(count)d sessions required for renewal: attend them, or watch "
            "the recordings of ones you missed and answer their questions.", count) % values
    return ngettext("%(name)s's %(course)s renewal still needs %(count)d session required for renewal.",
                    "%(name)s's %(course)s renewal still needs %(count)d sessions required for renewal.",
                    count) % values


MESSAGES = {
    "course_not_started": (
        lambda p: _("You have not started %(course)s yet.") % p,
        lambda p: _("%(name)s has not started %(course)s yet.") % p,
    ),
    "modules_missing": (lambda p: _modules(p, own=True), lambda p: _modules(p, own=False)),
    "practice_missing": (
        lambda p: _("You still need to attend a %(course)s live practice session.") % p,
        lambda p: _("%(name)s has not attended a %(course)s live practice session yet.") % p,
    ),
    "observation_missing": (
        lambda p: _("You still need a coach's “ready” on a role play at a %(course)s live practice.") % p,
        lambda p: _("%(name)s does not have a coach's “ready” on a %(course)s role play yet.") % p,
    ),
    "certificate_expired": (
        lambda p: _("Your %(course)s certificate expired on %(on)s.") % {**p, "on": day(p["on"])},
        lambda p: _("%(name)s's %(course)s certificate expired on %(on)s.") % {**p, "on": day(p["on"])},
    ),
    "certificate_revoked": (lambda p: _revoked(p, own=True), lambda p: _revoked(p, own=False)),
    "ask_to_reinstate": (
        lambda p: _("Ask a Hub trainer (or your district coordinator, who can ask one) to reinstate it or to "
                    "open a renewal for you.") % p,
        lambda p: _("A Hub trainer can reinstate it or open a renewal.") % p,
    ),
    "renewal_needed": (lambda p: _renewal(p, own=True, opened=False), lambda p: _renewal(p, own=False, opened=False)),
    "renewal_modules_missing": (lambda p: _renewal(p, own=True, opened=True),
                                lambda p: _renewal(p, own=False, opened=True)),
    "renewal_sessions_missing": (lambda p: _sessions(p, own=True), lambda p: _sessions(p, own=False)),
}
