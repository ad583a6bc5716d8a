"""Privacy actions: export one subject's data, erase it, and record every request (dry runs and refusals
too) in `PrivacyRequest`. The management commands and the retention purge only call these."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hub.privacy.errors import ErasureRefused, PrivacyError
from hub.privacy.models import PrivacyRequest
from hub.privacy.registry import Holding, Subject, holdings
from hub.privacy.selectors import ErasurePlan, Export, privacy_erase_plan, privacy_export_collect


def privacy_export(*, subject: Subject, operator: str, directory, now: datetime | None = None
                   ) -> tuple[list[Path], Export]:
    """Write `<kind>-export-<ref>-<date>.json` and `.html` in `directory`; record the request."""
    operator = operator_clean(operator)
    directory = Path(directory)
    if not directory.is_dir():
        raise PrivacyError(f"--output must be an existing folder; {directory} is not one. Nothing was exported.")
    export = privacy_export_collect(subject)
    now = now or export.generated_at
    stem = f"{subject.kind}-export-{subject.ref[:12]}-{timezone.localdate(now):%Y-%m-%d}"
    json_path, html_path = directory / f"{stem}.json", directory / f"{stem}.html"
    json_path.write_text(json.dumps(export.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    html = render_to_string("privacy/export.html", {
        "export": export, "subject": subject, "kind": subject.kind,
        "sections": [(s, [[row.get(label, "") for label in s.labels] for row in s.rows]) for s in export.sections],
    })
    html_path.write_text(html, encoding="utf-8")
    privacy_request_record(kind="export", subject=subject, operator=operator, counts=export.counts, now=now)
    return [json_path, html_path], export


def _apply(holding: Holding, subject: Subject, now: datetime) -> int:
    qs = holding.queryset(subject)
    erase = holding.erase
    if erase.action == "keep":
        return 0
    if erase.action == "delete":
        count = qs.count()
        qs.delete()
        return count
    if erase.action == "custom":
        return erase.func(qs, subject, now)
    static = {k: v for k, v in erase.values.items() if not callable(v)}
    dynamic = {k: v for k, v in erase.values.items() if callable(v)}
    model = holding.model_class
    if "updated_at" in {f.name for f in model._meta.concrete_fields}:
        static.setdefault("updated_at", now)
    if not dynamic:
        return qs.update(**static)
    count = 0
    for row in qs:
        for name, value in static.items():
            setattr(row, name, value)
        for name, func in dynamic.items():
            setattr(row, name, func(row, subject))
        row.save(update_fields=list(static) + list(dynamic))
        count += 1
    return count


def privacy_erase_apply(subject: Subject, *, now: datetime) -> dict[str, int]:
    """Apply every holding of the subject's kind (no checks, no audit: callers do both). Rows changed
    per model. The retention purge of closed cases calls this for each case."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for holding in holdings(subject.kind):
            changed = _apply(holding, subject, now)
            if changed:
                counts[holding.model] = counts.get(holding.model, 0) + changed
    return counts


def privacy_erase(*, subject: Subject, operator: str, confirm: bool, now: datetime | None = None
                  ) -> ErasurePlan:
    """Without `confirm`: the plan (what would be erased), recorded as a dry run, nothing else changed.

    With `confirm`: refuses (ErasureRefused, recorded) when a blocker names something to do first;
    otherwise applies every holding in one transaction and records the request with the counts.
    """
    operator = operator_clean(operator)
    now = now or timezone.now()
    plan = privacy_erase_plan(subject)
    if not confirm:
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts=plan.counts, now=now,
                               outcome="dry_run")
        return plan
    if plan.blockers:
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts={}, now=now,
                               outcome="refused", detail=" ".join(plan.blockers))
        raise ErasureRefused(" ".join(plan.blockers))
    with transaction.atomic():
        counts = privacy_erase_apply(subject, now=now)
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts=counts, now=now)
    plan.lines = [(h, counts.get(h.model, 0) if h.erase.action != "keep" else n) for h, n in plan.lines]
    return plan


# -- the audit ----------------------------------------------------------------------------------------------

def operator_clean(operator) -> str:
    operator = (operator or "").strip()
    if not operator:
        raise PrivacyError("Say who asked for this with --operator (a name, and a ticket if there is one).")
    if len(operator) > 200:
        raise PrivacyError("--operator is at most 200 characters.")
    return operator


def privacy_request_record(*, kind: str, subject: Subject | None, operator: str, counts: Mapping[str, int],
                           now: datetime | None = None, outcome: str = "done", detail: str = "",
                           subject_kind: str = "", reference: str = ""):
    return PrivacyRequest.objects.create(
        kind=kind, subject_kind=subject.kind if subject else subject_kind,
        subject_ref=subject.ref if subject else reference, operator=operator_clean(operator),
        outcome=outcome, counts=dict(counts), detail=detail[:1000], at=now or timezone.now(),
    )


