"""Seats with a capacity and a waitlist: ONE implementation, shared by every app that takes sign-ups.

The rule: a sign-up is *confirmed* while confirmed sign-ups are fewer than the capacity, otherwise it
is *waitlisted*; waitlisted sign-ups are promoted in arrival order (``created_at``, then ``pk``) when a
confirmed seat is released or the capacity grows. Confirmed sign-ups are never demoted.

Concurrency: the caller locks the *parent* row (the thing that has the capacity: a session
occurrence, a roundtable…) with ``select_for_update()`` inside ``transaction.atomic`` before calling
these functions, so that counting the confirmed seats and writing the new one happen as one step per
parent. On PostgreSQL many simultaneous sign-ups for the last seat therefore end with exactly one
confirmed; SQLite serialises writers anyway.

How a second app plugs in (for example ``roundtable``, whose families sign up without an account)::

    from hub.capacity import Seat, SeatStatus, lock_parent, seat_take, seat_release

    class FamilySignup(Seat):                      # adds status, created_at, updated_at, promoted_at
        roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="signups")
        email = models.EmailField()
        class Meta(Seat.Meta):
            constraints = [...]                    # e.g. one active sign-up per email and roundtable

    @transaction.atomic
    def signup_create(*, roundtable, email):
        parent = lock_parent(Roundtable, roundtable.pk)          # SELECT … FOR UPDATE
        signup = FamilySignup(roundtable=parent, email=email)
        seat_take(seat=signup, capacity=parent.capacity, holders=parent.signups.all())
        return signup                                            # signup.status says which

    @transaction.atomic
    def signup_cancel(*, signup):
        parent = lock_parent(Roundtable, signup.roundtable_id)
        promoted = seat_release(seat=signup, capacity=parent.capacity, holders=parent.signups.all())
        for seat in promoted: ...                                # tell them (after commit)

``holders`` is the queryset of *all* seats of that parent (any status); these functions narrow it.
"""

from django.db import models, transaction
from django.utils import timezone


class SeatStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE = (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)


class Seat(models.Model):
    """Abstract: a sign-up that holds a seat, waits for one, or was given up."""

    status = models.CharField(max_length=12, choices=SeatStatus.choices, default=SeatStatus.CONFIRMED)
    # Arrival order for the waitlist; set again when a cancelled sign-up joins once more.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="When it moved off the waitlist.")

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Seat changes must run inside transaction.atomic with the parent row locked.")


def lock_parent(model, pk):
    """The parent row, locked until the transaction ends (``SELECT … FOR UPDATE``)."""
    _require_transaction()
    return model._default_manager.select_for_update().get(pk=pk)


def confirmed_count(holders) -> int:
    return holders.filter(status=SeatStatus.CONFIRMED).count()


def waitlist(holders):
    """Waitlisted seats in arrival order."""
    return holders.filter(status=SeatStatus.WAITLISTED).order_by("created_at", "pk")


def seat_take(*, seat: Seat, capacity: int, holders) -> Seat:
    """Give `seat` (new, or cancelled and joining again) a confirmed place or a waitlist place.

    The parent must be locked. Joining again puts the seat at the back of the waitlist.
    """
    _require_transaction()
    seat.status = SeatStatus.CONFIRMED if confirmed_count(holders) < capacity else SeatStatus.WAITLISTED
    seat.created_at = timezone.now()
    seat.promoted_at = None
    seat.save()
    return seat


def seats_fill(*, capacity: int, holders) -> list[Seat]:
    """Promote waitlisted seats, first come first served, while confirmed seats are fewer than capacity."""
    _require_transaction()
    free = capacity - confirmed_count(holders)
    if free <= 0:
        return []
    promoted = list(waitlist(holders)[:free])
    now = timezone.now()
    for seat in promoted:
        seat.status = SeatStatus.CONFIRMED
        seat.promoted_at = now
        seat.save(update_fields=["status", "promoted_at", "updated_at"])
    return promoted


def seat_release(*, seat: Seat, capacity: int, holders) -> list[Seat]:
    """Cancel `seat` and promote from the waitlist into any seat that frees; returns the promoted."""
    _require_transaction()
    seat.status = SeatStatus.CANCELLED
    seat.save(update_fields=["status", "updated_at"])
    return seats_fill(capacity=capacity, holders=holders)


def waitlist_position(*, seat: Seat, holders) -> int | None:
    """1 for the first on the waitlist; None when the seat is not waitlisted."""
    if seat.status != SeatStatus.WAITLISTED:
        return None
    ahead = holders.filter(status=SeatStatus.WAITLISTED).filter(
        models.Q(created_at__lt=seat.created_at) | models.Q(created_at=seat.created_at, pk__lt=seat.pk)
    )
    return ahead.count() + 1
