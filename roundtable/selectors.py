"""Reads with a rule in them: what families see, what organisers see, and who is an organiser.

Every function runs in a constant number of queries (aggregates, not loops over sign-ups).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hub.capacity import ACTIVE, SeatStatus, waitlist_position
from hub.exports import ExportRows
from hub.roles import REGIONAL_STAFF, STATE_STAFF, TRAINER, has_role
from roundtable.models import LANGUAGE_NAMES, FamilySignup, Insight, Roundtable
from roundtable.names import Mention, mentions

_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def may_organise(user) -> bool:
    """Trainers and state staff run roundtables and see families' contact details."""
    return bool(user and user.is_authenticated and user.is_active
                and (user.is_superuser or has_role(user, TRAINER, STATE_STAFF)))


def may_read_insights(user) -> bool:
    """Program leads read the family insights (no contact details in them)."""
    return bool(user and user.is_authenticated and user.is_active
                and (user.is_superuser or has_role(user, TRAINER, STATE_STAFF, REGIONAL_STAFF)))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signup_by_token(*, token: str) -> FamilySignup | None:
    """The sign-up a private link names, or None (a guessed or altered link: the caller answers 404)."""
    if not token or not _TOKEN_SHAPE.match(token):
        return None
    digest = token_hash(token)
    signup = FamilySignup.objects.select_related("roundtable").filter(token_hash=digest).first()
    # The lookup is by a hash the caller cannot steer; compare again in constant time all the same.
    if signup is None or not hmac.compare_digest(signup.token_hash, digest):
        return None
    return signup


def _count_of(model, **where) -> Coalesce:
    """COUNT of `model` rows of each roundtable, as a subquery: annotating several counts over different
    relations with joins would multiply them (each sign-up counted once per insight)."""
    rows = (model.objects.filter(roundtable=OuterRef("pk"), **where).order_by().values("roundtable")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_counts(queryset: QuerySet[Roundtable]) -> QuerySet[Roundtable]:
    return queryset.annotate(
        confirmed=_count_of(FamilySignup, status=SeatStatus.CONFIRMED),
        waitlisted=_count_of(FamilySignup, status=SeatStatus.WAITLISTED),
    )


def upcoming(*, now: datetime | None = None) -> list[Roundtable]:
    """Roundtables not yet over, soonest first, with seats left (one query)."""
    now = now or timezone.now()
    rows = list(_with_counts(Roundtable.objects.filter(ends_at__gt=now, is_draft=False)).order_by("starts_at", "pk"))
    for row in rows:
        row.seats_left = max(row.capacity - row.confirmed, 0)
    return rows


def roundtable_public(*, pk: int, now: datetime | None = None) -> Roundtable | None:
    """One roundtable families may see (not a draft) with its seat counts, whether or not it is over or
    cancelled."""
    row = _with_counts(Roundtable.objects.filter(pk=pk, is_draft=False)).first()
    if row is not None:
        now = now or timezone.now()
        row.seats_left = max(row.capacity - row.confirmed, 0)
        row.is_over = row.ends_at <= now
    return row


def position_of(signup: FamilySignup) -> int | None:
    return waitlist_position(seat=signup, holders=signup.roundtable.signups.all())


@dataclass(frozen=True)
class Reach:
    by_email: int
    phone_only: int
    in_spanish: int


def cancellation_reach(*, roundtable: Roundtable) -> Reach:
    """Who a cancellation reaches: the active sign-ups (confirmed and waitlisted) with an email, those with
    only a phone number, and how many read Spanish: 1 query."""
    counts = FamilySignup.objects.filter(roundtable=roundtable, status__in=ACTIVE).aggregate(
        by_email=Count("pk", filter=~Q(email="")), phone_only=Count("pk", filter=Q(email="")),
        in_spanish=Count("pk", filter=Q(preferred_language="es")))
    return Reach(**counts)


@dataclass
class Needs:
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    checked_in: int = 0
    families_with_children: int = 0
    children: int = 0
    accessibility: int = 0
    interpreters: list[tuple[str, int]] = field(default_factory=list)  # (language name, families)


def needs_summary(*, roundtable: Roundtable) -> Needs:
    """Counts for planning the evening, over active sign-ups (confirmed and waitlisted): 2 queries."""
    signups = FamilySignup.objects.filter(roundtable=roundtable)
    active = Q(status__in=ACTIVE)
    totals = signups.aggregate(
        confirmed=Count("pk", filter=Q(status=SeatStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=SeatStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=SeatStatus.CANCELLED)),
        checked_in=Count("pk", filter=active & Q(checked_in_at__isnull=False)),
        families_with_children=Count("pk", filter=active & Q(children_count__gt=0)),
        children=Sum("children_count", filter=active),
        accessibility=Count("pk", filter=active & Q(accessibility_requested=True)),
    )
    interpreters = (signups.filter(active).exclude(interpretation_language="")
                    .values("interpretation_language").annotate(n=Count("pk")).order_by("-n", "interpretation_language"))
    return Needs(
        **{k: v or 0 for k, v in totals.items()},
        interpreters=[(str(LANGUAGE_NAMES.get(row["interpretation_language"], row["interpretation_language"])),
                       row["n"]) for row in interpreters],
    )


def organiser_roundtables(*, now: datetime | None = None) -> tuple[list[Roundtable], list[Roundtable]]:
    """(upcoming, past) roundtables with their counts, for the organisers' list: 1 query."""
    now = now or timezone.now()
    rows = list(_with_counts(Roundtable.objects.all()).annotate(insight_count=_count_of(Insight))
                .order_by("starts_at", "pk"))
    return [r for r in rows if r.ends_at > now], [r for r in reversed(rows) if r.ends_at <= now]


def signups_for(*, roundtable: Roundtable) -> QuerySet[FamilySignup]:
    """Every sign-up of a roundtable, confirmed first, then the waitlist in order, then cancelled."""
    order = {SeatStatus.CONFIRMED: 0, SeatStatus.WAITLISTED: 1, SeatStatus.CANCELLED: 2}
    from django.db.models import Case, IntegerField, Value, When

    return (FamilySignup.objects.filter(roundtable=roundtable).select_related("district")
            .annotate(rank=Case(*[When(status=s, then=Value(n)) for s, n in order.items()],
                                output_field=IntegerField()))
            .order_by("rank", "created_at", "pk"))


def signups_export(*, roundtable: Roundtable) -> ExportRows:
    """Every sign-up of a roundtable for the organisers' CSV (`signups_for`), how many, and the districts
    the families gave (for the audit trail): one query for the count and districts, then the rows."""
    signups = signups_for(roundtable=roundtable)
    per_district = dict(FamilySignup.objects.filter(roundtable=roundtable).values("district_id")
                        .annotate(n=Count("pk")).values_list("district_id", "n"))
    return ExportRows(rows=signups.iterator(chunk_size=500), count=sum(per_district.values()),
                      districts=frozenset(d for d in per_district if d is not None))


def insight_mentions(*, roundtable: Roundtable, text: str) -> list[Mention]:
    """The families signed up for the roundtable (cancelled too: they were named on the list) whose name
    the text contains, with what matched (`roundtable.names.mentions`): one query."""
    names = list(FamilySignup.objects.filter(roundtable=roundtable).exclude(name="")
                 .order_by("created_at", "pk").values_list("name", flat=True))
    return mentions(text, names)


def insight_for(*, roundtable_id: int, insight_id: int) -> Insight | None:
    """An insight of that roundtable, or None (another roundtable's, or none: the caller answers 404)."""
    return Insight.objects.select_related("roundtable").filter(pk=insight_id, roundtable_id=roundtable_id).first()


def insights_summary() -> list[dict]:
    """Themes and quotes across roundtables grouped by tag, with how many roundtables raised each tag:
    one query. [{"tag", "label", "themes": [...], "quotes": [...], "roundtables": n}]"""
    groups = {tag: {"tag": tag, "label": label, "themes": [], "quotes": [], "roundtables": set()}
              for tag, label in Insight.Tag.choices}
    for insight in Insight.objects.select_related("roundtable").order_by("-roundtable__starts_at", "pk"):
        group = groups[insight.tag]
        (group["quotes"] if insight.kind == Insight.Kind.QUOTE else group["themes"]).append(insight)
        group["roundtables"].add(insight.roundtable_id)
    for group in groups.values():
        group["roundtables"] = len(group["roundtables"])
    return list(groups.values())


def signup_message_reason(signup: FamilySignup, kind: str) -> str:
    """Why a queued message about this sign-up no longer makes sense ("" when it does), asked by the
    outbox just before sending (`hub.outbox.relevance`, registered in `RoundtableConfig.ready()`): a
    confirmation, promotion or reminder once the roundtable was cancelled or is over, the sign-up
    cancelled, or the family's contact details erased. A cancellation notice is about exactly that: it always goes."""
    if kind == "cancellation":
        return ""
    if signup.contact_purged_at is not None:
        return "The family's contact details were erased."
    if signup.roundtable.cancelled_at is not None:
        return "The roundtable was cancelled."
    if signup.status not in ACTIVE:
        return "The sign-up was cancelled."
    if signup.roundtable.ends_at <= timezone.now():
        return "The roundtable is over."  # a worker that was down past it, or the demo's past roundtable
    return ""
