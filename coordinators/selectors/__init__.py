"""Reads with a rule in them, one module per concern; nothing here changes data.

Every query starts from `hub.selectors.scope_for(user)` (coordinators, regional and state staff) or
from the person's own open assignments (visitors). Certification comes from `courses.selectors`
and is never stored or recomputed here.

- `access`: who may do what (`may_*`) and the scope checks.
- `eligibility`: who may take a case — the requirements the assignment gate and the board check, the
  family's choice, data-sharing agreements, a district's settings.
- `rosters`: "who is trained".
- `cases`: the cases a person may read, a case's page, a visitor's own cases.
- `audit`: the audit trail as staff read it.
- `dashboards`: training figures and the headline impact figure.
- `impact`: the impact table (attendance change after the first visit, breakdowns, the comparison).
- `fidelity`: the fidelity measures against the state's targets, per district and school, with drift.
- `suppression`: the small-cell rule every figure across districts follows.
- `board`: the live case board.
- `lapses`: whom to tell when a visitor's certificate lapses.
- `retention`: closed cases due for purging.
- `waiting`: prioritisation — the cases waiting for a visit, most urgent first, and the visitors free
  to take them.

No module here imports `coordinators.services` (tests/test_architecture.py checks it, through any
chain of imports): services read through selectors, never the other way round.

Callers outside this package import the package (`from coordinators import selectors`, then
`selectors.roster(...)`), as every app's callers do, so each call names its layer and no caller needs
to know which concern module holds a read; the view functions share these names (`views.roster` shows
`selectors.roster`). Modules inside the package import from each other's concern modules, never through
this `__init__`, so the re-exports below add no circle. The package's surface is every public name of
its concern modules, listed in `__all__`.
"""

from coordinators.selectors.access import (
    STAFF_ROLES,
    OutOfScope,
    case_in_scope,
    is_staff_reader,
    may_log_visits,
    may_manage_cases,
    may_see_board,
    owner_districts,
    require_manager,
)
from coordinators.selectors.audit import audit_trail
from coordinators.selectors.board import (
    GRADE_BANDS,
    BoardPage,
    Viewer,
    active_volunteers,
    board_case_data,
    board_cases,
    board_group,
    board_page,
    grade_band,
    pair_candidates,
    viewer_for,
)
from coordinators.selectors.cases import (
    CHANGE_MONTHS,
    AttendanceChange,
    Candidate,
    CaseFilters,
    CaseView,
    attendance_change,
    case_export,
    case_for,
    case_list,
    case_view,
    cases_filtered,
    cases_in_scope,
    my_cases,
    my_open_case_ids,
)
from coordinators.selectors.dashboards import Bar, Dashboard, dashboard
from coordinators.selectors.eligibility import (
    COURSE_CODE,
    Eligibility,
    agreements_in_force,
    assignment_problems,
    assignment_refusals,
    district_settings,
    family_choice,
    latest_family_choice,
    person_eligibility,
    serving,
    visit_eligibility,
)
from coordinators.selectors.fidelity import (
    FIDELITY_CSV_HEADER,
    FIDELITY_DEFAULT_MONTHS,
    MEASURES,
    FidelityReport,
    fidelity_report,
    fidelity_rows,
    fidelity_targets,
    may_set_fidelity_targets,
)
from coordinators.selectors.impact import (
    BREAKDOWN_KEYS,
    CSV_HEADER,
    HORIZONS,
    TOO_FEW,
    BadImpactQuery,
    ImpactScope,
    ImpactTable,
    Period,
    breakdown_choices,
    case_change,
    change_summary,
    figures_as_of,
    impact_data,
    impact_rows,
    impact_table,
    period_read,
    scope_choices,
    scope_read,
)
from coordinators.selectors.lapses import coordinators_of_open_cases
from coordinators.selectors.retention import (
    DEFAULT_CASE_RETENTION_DAYS,
    case_retention_days,
    closed_cases_due,
)
from coordinators.selectors.rosters import (
    EXPORT_CHUNK,
    PAGE_SIZE,
    RosterFilters,
    RosterPage,
    RosterRow,
    certification_counts,
    query_int,
    roster,
    roster_export,
    roster_matching,
    roster_people,
    roster_person,
    roster_rows,
)
from coordinators.selectors.suppression import SMALL_COUNT, SMALL_GROUP, Cell
from coordinators.selectors.waiting import (
    WAITING_PAGE_SIZE,
    FreeVisitor,
    WaitingFilters,
    WaitingPage,
    WaitingRow,
    cases_unassigned,
    cases_waiting,
    free_visitors,
    waiting_cases,
    waiting_page,
    with_waiting_facts,
)

__all__ = [
    "AttendanceChange",
    "Bar",
    "BoardPage",
    "CHANGE_MONTHS",
    "COURSE_CODE",
    "Candidate",
    "CaseFilters",
    "CaseView",
    "Cell",
    "DEFAULT_CASE_RETENTION_DAYS",
    "Dashboard",
    "EXPORT_CHUNK",
    "GRADE_BANDS",
    "OutOfScope",
    "PAGE_SIZE",
    "RosterFilters",
    "RosterPage",
    "RosterRow",
    "SMALL_COUNT",
    "SMALL_GROUP",
    "STAFF_ROLES",
    "Viewer",
    "active_volunteers",
    "agreements_in_force",
    "assignment_problems",
    "attendance_change",
    "audit_trail",
    "board_case_data",
    "board_cases",
    "board_group",
    "board_page",
    "case_export",
    "case_for",
    "case_in_scope",
    "case_list",
    "case_retention_days",
    "case_view",
    "cases_filtered",
    "cases_in_scope",
    "certification_counts",
    "closed_cases_due",
    "coordinators_of_open_cases",
    "dashboard",
    "district_settings",
    "family_choice",
    "grade_band",
    "is_staff_reader",
    "may_log_visits",
    "may_manage_cases",
    "may_see_board",
    "my_cases",
    "my_open_case_ids",
    "owner_districts",
    "pair_candidates",
    "query_int",
    "require_manager",
    "roster",
    "roster_export",
    "roster_matching",
    "roster_people",
    "roster_person",
    "roster_rows",
    "serving",
    "viewer_for",
    "person_eligibility",
    "visit_eligibility",
    "Eligibility",
    "assignment_refusals",
    "BREAKDOWN_KEYS",
    "CSV_HEADER",
    "HORIZONS",
    "TOO_FEW",
    "BadImpactQuery",
    "ImpactScope",
    "ImpactTable",
    "Period",
    "breakdown_choices",
    "case_change",
    "change_summary",
    "figures_as_of",
    "impact_data",
    "impact_rows",
    "impact_table",
    "period_read",
    "scope_choices",
    "scope_read",
    "WAITING_PAGE_SIZE",
    "FreeVisitor",
    "WaitingFilters",
    "WaitingPage",
    "WaitingRow",
    "cases_unassigned",
    "cases_waiting",
    "free_visitors",
    "latest_family_choice",
    "waiting_cases",
    "waiting_page",
    "with_waiting_facts",
    "FIDELITY_CSV_HEADER",
    "FIDELITY_DEFAULT_MONTHS",
    "MEASURES",
    "FidelityReport",
    "fidelity_report",
    "fidelity_rows",
    "fidelity_targets",
    "may_set_fidelity_targets",
]

# Prioritisation (issue 16): the district need index.
from coordinators.selectors.need import (  # noqa: E402 - kept apart from the lists above
    FILE_COLUMNS as NEED_FILE_COLUMNS,
)
from coordinators.selectors.need import (  # noqa: E402
    FILE_OPTIONAL_COLUMNS as NEED_FILE_OPTIONAL_COLUMNS,
)
from coordinators.selectors.need import INPUTS as NEED_INPUTS  # noqa: E402
from coordinators.selectors.need import (  # noqa: E402
    NeedIndex,
    may_see_need_index,
    may_upload_need_figures,
    need_csv_header,
    need_index,
    need_rows,
    need_template_rows,
    need_years,
    school_year_label,
)

__all__ += [
    "NEED_FILE_COLUMNS", "NEED_FILE_OPTIONAL_COLUMNS", "NEED_INPUTS", "NeedIndex", "may_see_need_index",
    "may_upload_need_figures", "need_csv_header", "need_index", "need_rows", "need_template_rows", "need_years",
    "school_year_label",
]
