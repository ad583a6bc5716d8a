"""The parameters of the coordinators' list pages, read through forms (`hub.queries`): a value a form
cannot take is a 400 page naming it. Which districts, schools and partners a person may ask for is a
scope rule, checked by the selectors (out of scope: a 404, audited)."""

from coordinators.models import CaseStatus
from courses.selectors import State
from hub.queries import PageQuery, QueryChoice, QueryForm, QueryInt, QueryPage, QueryText

ROSTER_SORTS = {"name": "Name (A–Z)", "-name": "Name (Z–A)", "status": "Training status", "org": "School or partner"}


class RosterQuery(QueryForm):
    district = QueryInt(label="District")
    school = QueryInt(label="School")
    partner = QueryInt(label="Partner")
    status = QueryChoice(label="Training status", choices=[("", "Any")] + [(s, State.LABELS[s]) for s in State.ORDER])
    q = QueryText(label="Name", max_length=80)
    sort = QueryChoice(label="Sort", choices=[("", "Name (A–Z)")] + list(ROSTER_SORTS.items()))
    page = QueryPage()


class CaseQuery(QueryForm):
    status = QueryChoice(label="Status", choices=[("", "Any")] + list(CaseStatus.choices))
    school = QueryInt(label="School")
    district = QueryInt(label="District")
    q = QueryText(label="Student id or first name", max_length=60)
    page = QueryPage()


__all__ = ["CaseQuery", "DistrictQuery", "PageQuery", "ROSTER_SORTS", "RosterQuery"]


class DistrictQuery(QueryForm):
    district = QueryInt(label="District")
