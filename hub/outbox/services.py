"""The outbox's state changes: queue a message, deliver it (the task a worker runs), send a failed
one again.

Queueing writes the `Message` row in the caller's transaction. The send task is enqueued **inside that
transaction** when the task backend keeps its queue in the same database (django-tasks-db, the
default): the message, its task and the change that caused them commit together or not at all, and a
process that dies right after the commit loses nothing (with `on_commit` it would). Any other backend
(the immediate one of the unit tests) gets the task on commit, so a rolled-back change sends nothing.

Delivery locks the row (`select_for_update`) and checks its state before sending, so two workers that
hold a task for the same message (a retry and a "send again", two copies of a task) send it once: the
second waits for the lock, then finds it sent. The send happens while the lock is held; if the commit
after a successful send failed, the message would stay queued and could go twice (at least once, never
lost) — the relay is the one thing outside the transaction.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task

from hub.outbox import errors
from hub.outbox.models import Kind, Message, State
from hub.outbox.relevance import about_fields, irrelevance_reason
from hub.outbox.selectors import messages_for

logger = logging.getLogger(__name__)

ERROR_LENGTH = 300


def max_attempts() -> int:
    return max(1, int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6)))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the `attempts`-th failed try: base, 2 x base, 4 x base... capped."""
    base = int(getattr(settings, "OUTBOX_RETRY_SECONDS", 30))
    cap = int(getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _queue_in_transaction() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(message_deliver_task.get_backend(), DatabaseBackend)


def _enqueue(message_id: int, *, run_after: datetime | None = None) -> None:
    if run_after is not None and not message_deliver_task.get_backend().supports_defer:
        # The immediate backend (unit tests) cannot wait: the message stays queued with its next try time.
        logger.warning("outbox message %s: the task backend cannot defer; not retried", message_id)
        return
    job = message_deliver_task.using(run_after=run_after) if run_after else message_deliver_task
    if _queue_in_transaction():
        job.enqueue(message_id)
    else:
        transaction.on_commit(lambda: job.enqueue(message_id))


def message_queue(*, to: str, subject: str, body: str, html: str = "", kind: str = Kind.OTHER,
                  person=None, district=None, key: str = "", language: str = "", about=None) -> Message | None:
    """Record one email and enqueue its sending, in the current transaction. Returns the message, or
    None when there is no address or a message with this `key` is already queued (idempotent: the same
    notice is never queued twice). Without a key every call is a new message. `about`: the thing the
    message is about (a sign-up, a registration), checked again just before sending
    (`hub.outbox.relevance`)."""
    if not to:
        return None
    if district is None and person is not None:
        district = person.home_district_id
    key = key or f"once:{uuid.uuid4()}"
    district_id = getattr(district, "pk", district)
    # One savepoint around the insert (a key already queued is an IntegrityError), none around the
    # whole: inside the caller's transaction that is three round trips fewer on the page's path.
    with transaction.atomic(savepoint=False):
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    key=key[:200], kind=kind, recipient=to, subject=str(subject)[:300], body_text=str(body),
                    body_html=str(html), person=person, district_id=district_id,
                    language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:12],
                    **about_fields(about))
        except IntegrityError:
            if Message.objects.filter(key=key[:200]).exists():
                return None  # the same notice, already queued
            raise
        _enqueue(message.pk)
    return message


def messages_queue(items: list[dict]) -> list[Message]:
    """Record many emails (each a dict of `message_queue`'s keywords) and enqueue one task that sends
    them, in the current transaction: a constant number of queries however many there are (a staff-list
    import of thousands). Messages whose `key` is already queued are left out (as `message_queue` does);
    each message is still sent, retried and recorded on its own (`message_deliver`)."""
    items = [item for item in items if item.get("to")]
    if not items:
        return []
    keys = [(item.get("key") or f"once:{uuid.uuid4()}")[:200] for item in items]
    taken = set(Message.objects.filter(key__in=[k for k in keys if not k.startswith("once:")])
                .values_list("key", flat=True))
    language = translation.get_language() or settings.LANGUAGE_CODE
    rows, seen = [], set()
    for item, key in zip(items, keys, strict=True):
        if key in taken or key in seen:
            continue
        seen.add(key)
        person, district = item.get("person"), item.get("district")
        if district is None and person is not None:
            district = person.home_district_id
        rows.append(Message(
            key=key, kind=item.get("kind", Kind.OTHER), recipient=item["to"], subject=str(item["subject"])[:300],
            body_text=str(item["body"]), body_html=str(item.get("html", "")), person=person,
            district_id=getattr(district, "pk", district), language=(item.get("language") or language)[:12],
            **about_fields(item.get("about"))))
    messages = Message.objects.bulk_create(rows)
    ids = [message.pk for message in messages]
    if _queue_in_transaction():
        messages_deliver_task.enqueue(ids)
    else:
        transaction.on_commit(lambda: messages_deliver_task.enqueue(ids))
    return messages


def _skip_reason(message: Message) -> str:
    """Why a queued message no longer makes sense to send ("" when it does)."""
    person = message.person
    if person is not None and not person.user.is_active:
        return "The person's account was switched off or erased."
    if not message.recipient:
        return "No address: the recipient's details were removed."
    return irrelevance_reason(message)[:ERROR_LENGTH]


def _describe(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    password = getattr(settings, "EMAIL_HOST_PASSWORD", "")
    if password:
        text = text.replace(password, "***")
    return text[:ERROR_LENGTH]


def _send(message: Message) -> None:
    email = EmailMultiAlternatives(message.subject, message.body_text, None, [message.recipient],
                                   headers={"Auto-Submitted": "auto-generated"})
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)


def message_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Send one queued message (what the worker runs). Returns what happened: sent, retry, failed,
    skipped, or the state it was already in (never sent twice)."""
    retry_at = None
    with transaction.atomic():
        message = (Message.objects.select_for_update(of=("self",)).select_related("person__user")
                   .filter(pk=message_id).first())
        if message is None:
            return "gone"
        if message.state != State.QUEUED:
            return str(message.state)
        now = now or timezone.now()
        if message.next_try_at and message.next_try_at > now:
            return "not yet"  # an earlier copy of the task; the one due at next_try_at is queued
        reason = _skip_reason(message)
        if reason:
            message.state, message.last_error, message.next_try_at = State.SKIPPED, reason, None
            message.save(update_fields=["state", "last_error", "next_try_at", "updated_at"])
            return "skipped"
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # the relay refused, timed out or was not there
            message.last_error = _describe(error)
            if message.attempts >= max_attempts():
                message.state, message.next_try_at = State.FAILED, None
                outcome = "failed"
            else:
                message.next_try_at = retry_at = now + retry_delay(message.attempts)
                outcome = "retry"
            logger.warning("outbox message %s try %s: %s", message.pk, message.attempts, message.last_error)
        else:
            message.state, message.sent_at, message.next_try_at = State.SENT, timezone.now(), None
            outcome = "sent"
        message.save(update_fields=["state", "attempts", "last_error", "next_try_at", "sent_at", "updated_at"])
        if retry_at:
            _enqueue(message.pk, run_after=retry_at)
    return outcome


@task()
def message_deliver_task(message_id: int) -> str:
    return message_deliver(message_id=message_id)


@task()
def messages_deliver_task(message_ids: list[int]) -> dict[str, int]:
    """Send a batch queued together (`messages_queue`): each message as `message_deliver_task` would
    (its own row lock, state and retries), so one refused send delays only that one."""
    outcomes: dict[str, int] = {}
    for message_id in message_ids:
        outcome = message_deliver(message_id=message_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def message_send_again(*, message: Message, by) -> Message:
    """Queue a failed message for another full round of tries (staff, for the messages they may see)."""
    with transaction.atomic():
        if not messages_for(by).filter(pk=message.pk).exists():
            raise errors.NotAllowed(translation.gettext("You cannot see this message."))
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.state != State.FAILED:
            raise errors.NotFailed()
        message.state, message.attempts, message.next_try_at = State.QUEUED, 0, None
        message.save(update_fields=["state", "attempts", "next_try_at", "updated_at"])
        _enqueue(message.pk)
    return message


def keep_days() -> int:
    return max(1, int(getattr(settings, "OUTBOX_KEEP_DAYS", 90)))


def outbox_prune(*, days: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Delete what is done and old: messages sent or skipped more than `days` (OUTBOX_KEEP_DAYS) ago, and
    the task queue's records of tasks that finished (ran or failed) as long ago. Queued and failed
    messages stay whatever their age (a failed one waits for staff to send it again); so do tasks still
    waiting or running. Returns how many of each went. For a scheduled run (`manage.py outbox_prune`)."""
    from django_tasks_db.models import DBTaskResult

    before = (now or timezone.now()) - timedelta(days=days or keep_days())
    messages, _ = Message.objects.filter(state__in=(State.SENT, State.SKIPPED), updated_at__lt=before).delete()
    tasks, _ = DBTaskResult.objects.filter(status__in=("SUCCESSFUL", "FAILED"), finished_at__lt=before).delete()
    return {"messages": messages, "tasks": tasks}


# A send task is run at most this many times when its runs are cut short (the database lost under the
# worker, or the worker itself killed): then it is recorded failed, and so are the messages it held.
TASK_MAX_RUNS = 5
SEND_TASKS = {f"{__name__}.{name}" for name in ("message_deliver_task", "messages_deliver_task")}


def stranded_after() -> timedelta:
    return timedelta(seconds=max(1, int(getattr(settings, "OUTBOX_TASK_STRANDED_SECONDS", 600))))


def task_run_again(task_id) -> bool:
    """Put a send task whose run was cut short back in the queue ("ready"), for any worker to run again:
    delivery locks each message and checks its state, so what its first run sent is not sent again."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return bool(DBTaskResult.objects.filter(pk=task_id, status__in=(TaskResultStatus.RUNNING, TaskResultStatus.FAILED))
                .update(status=TaskResultStatus.READY, started_at=None, finished_at=None, exception_class_path="",
                        traceback=""))


def _task_message_ids(args_kwargs) -> list[int]:
    args = (args_kwargs or {}).get("args") or []
    first = args[0] if args else None
    ids = first if isinstance(first, list) else [first]
    return [n for n in ids if isinstance(n, int)]


def sends_recover_stranded(*, now: datetime | None = None) -> dict[str, int]:
    """Send tasks still "running" OUTBOX_TASK_STRANDED_SECONDS after they started: their worker was
    killed or its machine lost (a worker that loses only the database puts its task back itself). The
    killed worker's transaction rolled back, so its messages are still queued with no task that will
    send them. Each such task is queued again; one that has already run TASK_MAX_RUNS times is recorded
    failed, and the messages it held are failed with the reason, where staff see them and can send them
    again. A task still really running past the limit runs twice at worst, and each message still goes
    once (delivery's row lock). For a scheduled run (`manage.py outbox_recover`)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    counts = {"again": 0, "failed": 0}
    stranded = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__in=SEND_TASKS,
                                           started_at__lt=now - stranded_after())
    for task_result in list(stranded.only("pk", "args_kwargs", "worker_ids")):
        if len(task_result.worker_ids or []) < TASK_MAX_RUNS:
            if task_run_again(task_result.pk):
                counts["again"] += 1
                logger.warning("outbox task %s: its worker stopped while running it; queued again", task_result.pk)
            continue
        reason = translation.gettext("The worker sending it stopped %(n)s times; send it again when the mail "
                                     "service is running.") % {"n": len(task_result.worker_ids)}
        with transaction.atomic():
            if not (DBTaskResult.objects.filter(pk=task_result.pk, status=TaskResultStatus.RUNNING)
                    .update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="hub.outbox.stranded",
                            traceback=reason)):
                continue
            Message.objects.filter(pk__in=_task_message_ids(task_result.args_kwargs), state=State.QUEUED).update(
                state=State.FAILED, next_try_at=None, last_error=reason[:ERROR_LENGTH], updated_at=now)
        counts["failed"] += 1
        logger.error("outbox task %s: its worker stopped %s times; recorded failed", task_result.pk,
                     len(task_result.worker_ids))
    return counts
