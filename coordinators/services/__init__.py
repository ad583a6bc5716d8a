"""Rules that change cases, assignments, visits and district settings, one module per concern.

- `district_settings`: a district's settings and its data-sharing agreements with partners.
- `cases`: creating a case, the family's choice.
- `assignment`: the assignment gate (`case_assign`) and closing a case.
- `visits`: visit logs and referral outcomes.
- `catalogue`: the barrier catalogue and each district's resources.
- `board`: the live case board.
- `retention`: purging closed cases.
- `fidelity`: the state's fidelity targets.
- `impact`: the impact table's stored figures (refreshing them).

Each service checks its own rule (who may, in which scope) and raises a `coordinators.errors` error
that writes nothing. The reads with a rule in them that the services rely on — may this person manage
cases, may these visitors take this case — are `coordinators.selectors`, which never imports this
package.

Callers outside this package import the package (`from coordinators import services`, then
`services.case_assign(...)`), as every app's callers do, so each call names its layer and no caller
needs to know which concern module holds a rule; the view functions share these names
(`views.case_assign` calls `services.case_assign`). Modules inside the package import from each other's
concern modules, never through this `__init__`, so the re-exports below add no circle. The package's
surface is every public name of its concern modules, listed in `__all__`, and `audit_record`, the
audit trail's writer (`hub.audit.services`), re-exported because every view here calls it.
"""

from coordinators.services.assignment import assignments_flag_departed, case_assign, case_close
from coordinators.services.board import (
    BOARD_ACTIONS,
    board_act,
    board_case_assign,
    case_close_for_volunteers,
    case_open_for_volunteers,
    case_volunteer,
    volunteer_withdraw,
)
from coordinators.services.cases import CaseData, case_create, case_family_choice, case_validate, locked_case
from coordinators.services.catalogue import BARRIERS, barriers_ensure, resource_create
from coordinators.services.district_settings import data_sharing_agreement_record, district_settings_set
from coordinators.services.fidelity import fidelity_targets_set
from coordinators.services.impact import (
    RefreshResult,
    impact_summary_refresh,
    impact_summary_refresh_on_commit,
)
from coordinators.services.retention import closed_cases_purge
from coordinators.services.visits import VisitData, referral_outcome_set, visit_edit, visit_log
from hub.audit.services import audit_record

__all__ = [
    "BARRIERS",
    "CaseData",
    "VisitData",
    "assignments_flag_departed",
    "audit_record",
    "barriers_ensure",
    "BOARD_ACTIONS",
    "board_act",
    "board_case_assign",
    "case_assign",
    "case_close",
    "case_close_for_volunteers",
    "case_create",
    "case_family_choice",
    "case_open_for_volunteers",
    "case_validate",
    "case_volunteer",
    "closed_cases_purge",
    "fidelity_targets_set",
    "impact_summary_refresh",
    "impact_summary_refresh_on_commit",
    "RefreshResult",
    "data_sharing_agreement_record",
    "district_settings_set",
    "locked_case",
    "referral_outcome_set",
    "resource_create",
    "visit_edit",
    "visit_log",
    "volunteer_withdraw",
]

# Prioritisation (issue 16): the district data file.
from coordinators.services.need import EXAMPLE_FILE as NEED_EXAMPLE_FILE  # noqa: E402
from coordinators.services.need import NeedImportResult, RowError, need_figures_import  # noqa: E402

__all__ += ["NEED_EXAMPLE_FILE", "NeedImportResult", "RowError", "need_figures_import"]
