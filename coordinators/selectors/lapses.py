"""Lapse watchers: whom `courses` tells when a visitor's certificate is about to lapse.

`courses` never reads `coordinators`; this app registers `coordinators_of_open_cases` with
`courses.services.lapse_watcher_register` from its `AppConfig.ready()`, so that the coordinators of
the districts where a lapsing visitor holds open cases hear of it too.
"""

from coordinators.models import AssignmentMember
from hub.roles import COORDINATOR


def coordinators_of_open_cases(person_ids) -> dict[int, list[str]]:
    """{visitor id: [emails of the coordinators of the districts where they hold open cases]}: 2 queries."""
    from django.contrib.auth import get_user_model

    held = set(AssignmentMember.objects.filter(person_id__in=list(person_ids), assignment__ended_at__isnull=True)
               .values_list("person_id", "assignment__case__district_id"))
    if not held:
        return {}
    districts = {d for _, d in held}
    emails: dict[int, list[str]] = {}
    for email, district_id in (get_user_model().objects.filter(
            is_active=True, groups__name=COORDINATOR, person__home_district_id__in=districts)
            .exclude(email="").values_list("email", "person__home_district_id")):
        emails.setdefault(district_id, []).append(email)
    found: dict[int, list[str]] = {}
    for person_id, district_id in held:
        found.setdefault(person_id, [])
        for email in emails.get(district_id, []):
            if email not in found[person_id]:
                found[person_id].append(email)
    return {pid: sorted(e) for pid, e in found.items() if e}
