"""The outbox's rules, in the test's process: one row per notice, queued with the change, sent once,
retried with backoff, failed after N tries, skipped when it no longer makes sense.

The real worker processes, the real SMTP listener and PostgreSQL are in test_worker_processes.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from hub.mail import mail_on_commit, mail_send
from hub.outbox import services
from hub.outbox.models import Message, State
from hub.roles import VISITOR

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def ana(make_person, orgs):
    return make_person("ana", roles=(VISITOR,), home_district=orgs["Hartford"])


def _queued_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="hub.outbox.services.message_deliver_task")
                .order_by("enqueued_at"))


def test_a_rolled_back_change_queues_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            mail_on_commit(to="family@example.org", subject="You're signed up", body="Hello")
            raise RuntimeError("the sign-up failed")
    assert Message.objects.count() == 0 and mail.outbox == []


def test_a_message_is_recorded_and_sent_after_the_change_commits(ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_on_commit(to="ana@example.org", subject="You have a seat", body="Hello Ana", html="<p>Hello Ana</p>",
                       kind="confirmation", person=ana, key="test:seat:1")
    message = Message.objects.get()
    assert (message.state, message.attempts, message.kind, message.district_id) == (
        State.SENT, 1, "confirmation", ana.home_district_id)
    assert message.sent_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["ana@example.org"] and sent.body == "Hello Ana"
    assert sent.alternatives[0] == ("<p>Hello Ana</p>", "text/html")


def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_send(to="ana@example.org", subject="Reminder", body="Tomorrow", key="test:reminder:7")
        assert not mail_send(to="ana@example.org", subject="Reminder", body="Tomorrow", key="test:reminder:7")
    assert Message.objects.count() == 1 and len(mail.outbox) == 1


def test_no_address_queues_nothing():
    assert mail_send(to="", subject="Reminder", body="Tomorrow") is False
    assert Message.objects.count() == 0


def test_with_the_database_backend_the_task_is_queued_in_the_same_transaction(settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_on_commit(to="ana@example.org", subject="Seat", body="Hello", key="test:atomic")
        assert len(_queued_tasks()) == 1  # written with the message, before any commit
        raise RuntimeError("rolled back")
    assert _queued_tasks() == [] and Message.objects.count() == 0
    mail_on_commit(to="ana@example.org", subject="Seat", body="Hello", key="test:atomic")
    (task,) = _queued_tasks()
    assert task.args_kwargs["args"] == [Message.objects.get().pk]
    assert mail.outbox == []  # nothing sent in the request: the worker sends it


def test_a_relay_failure_is_recorded_and_tried_again_later_with_backoff_then_fails(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "tests.outbox.relays.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_SECONDS = 3, 30
    message = services.message_queue(to="ana@example.org", subject="Seat", body="Hello")
    now = timezone.now()
    assert services.message_deliver(message_id=message.pk, now=now) == "retry"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_try_at) == (State.QUEUED, 1, now + timedelta(seconds=30))
    assert message.last_error.startswith("SMTPConnectError: (421")
    retry = _queued_tasks()[-1]
    assert retry.run_after == now + timedelta(seconds=30)  # the worker leaves it until then
    assert services.message_deliver(message_id=message.pk, now=now) == "not yet"  # an early copy does nothing
    later = now + timedelta(seconds=30)
    assert services.message_deliver(message_id=message.pk, now=later) == "retry"
    message.refresh_from_db()
    assert message.next_try_at == later + timedelta(seconds=60)  # doubled
    assert services.message_deliver(message_id=message.pk, now=later + timedelta(seconds=60)) == "failed"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_try_at) == (State.FAILED, 3, None)
    tasks = len(_queued_tasks())
    assert services.message_deliver(message_id=message.pk) == "failed"  # a stray task: nothing more
    assert len(_queued_tasks()) == tasks and mail.outbox == []


def test_the_error_recorded_never_holds_the_relay_password(settings):
    settings.EMAIL_BACKEND = "tests.outbox.relays.LeakyBackend"
    settings.EMAIL_HOST_PASSWORD = "hunter2-relay-password"
    message = services.message_queue(to="ana@example.org", subject="Seat", body="Hello")
    services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert "hunter2" not in message.last_error and "***" in message.last_error


def test_a_sent_message_is_never_sent_again():
    message = services.message_queue(to="ana@example.org", subject="Seat", body="Hello")
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_message_to_an_erased_person_is_skipped_with_the_reason_and_not_retried(ana, settings):
    from hub.privacy.selectors import subject_for_person
    from hub.privacy.services import privacy_erase

    settings.TASKS = DATABASE_TASKS
    message = services.message_queue(to="ana@example.org", subject="Tomorrow", body="Hello Ana", person=ana,
                                     kind="reminder")
    privacy_erase(subject=subject_for_person(username="ana"), operator="test", confirm=True)
    message.refresh_from_db()
    assert (message.recipient, message.subject) == ("", "(removed)")  # erasure reached the outbox
    tasks = len(_queued_tasks())
    assert services.message_deliver(message_id=message.pk) == "skipped"
    message.refresh_from_db()
    assert message.state == State.SKIPPED and "erased" in message.last_error
    assert len(_queued_tasks()) == tasks and mail.outbox == []
    assert services.message_deliver(message_id=message.pk) == "skipped"


def test_a_deleted_message_ends_its_task_quietly():
    assert services.message_deliver(message_id=10**9) == "gone"


def test_a_message_about_something_asks_its_apps_rule_just_before_sending(orgs, monkeypatch):
    """`hub.outbox.relevance`: the rule an app registered for the thing decides; no rule, it goes."""
    from hub.outbox import relevance

    district = orgs["Hartford"]
    monkeypatch.setattr(relevance, "_checks", {})
    sent = services.message_queue(to="a@example.org", subject="About Hartford", body="Hi", about=district)
    assert (sent.about_type.model, sent.about_id) == ("district", district.pk)
    assert services.message_deliver(message_id=sent.pk) == "sent"  # no rule registered: it still makes sense
    relevance.relevance_register("hub.District", lambda thing, kind: f"{thing} merged ({kind})")
    stale = services.message_queue(to="b@example.org", subject="About Hartford", body="Hi", about=district,
                                   kind="reminder")
    assert services.message_deliver(message_id=stale.pk) == "skipped"
    stale.refresh_from_db()
    assert (stale.state, stale.last_error, stale.attempts) == (State.SKIPPED, "Hartford merged (reminder)", 0)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_the_clean_up_deletes_old_sent_and_skipped_messages_and_finished_tasks_and_keeps_the_rest(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    for n, state in enumerate((State.SENT, State.SKIPPED, State.FAILED, State.QUEUED, State.SENT)):
        mail_send(to=f"person{n}@example.org", subject=f"Message {n}", body="Hello")
        Message.objects.filter(recipient=f"person{n}@example.org").update(
            state=state, sent_at=timezone.now() if state == State.SENT else None)
    long_ago = timezone.now() - timedelta(days=91)
    Message.objects.exclude(recipient="person4@example.org").update(updated_at=long_ago)  # 4: sent yesterday
    DBTaskResult.objects.filter(args_kwargs__args__0__in=list(Message.objects.filter(
        recipient__in=["person0@example.org", "person1@example.org"]).values_list("pk", flat=True))).update(
        status="SUCCESSFUL", finished_at=long_ago)
    waiting = DBTaskResult.objects.filter(status="READY").count()

    assert services.outbox_prune() == {"messages": 2, "tasks": 2}
    assert sorted(Message.objects.values_list("recipient", flat=True)) == [
        "person2@example.org", "person3@example.org", "person4@example.org"]  # failed, queued, recent
    assert DBTaskResult.objects.filter(status="READY").count() == waiting
    assert services.outbox_prune() == {"messages": 0, "tasks": 0}


def _running(task, *, started, workers):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING", started_at=started,
                                                    worker_ids=[f"w{n}" for n in range(workers)])


def test_a_send_task_left_running_by_a_killed_worker_is_queued_again_and_the_message_sent_once(settings):
    """A worker killed mid-send: its transaction rolled back (the message still queued, no try counted) and
    its task says "running" for ever. Past OUTBOX_TASK_STRANDED_SECONDS it is queued again; a task that
    started recently (a worker still on it) is left alone."""
    settings.TASKS = DATABASE_TASKS
    mail_send(to="killed@example.org", subject="Tomorrow", body="Hello", key="test:killed")
    mail_send(to="busy@example.org", subject="Tomorrow", body="Hello", key="test:busy")
    killed, busy = _queued_tasks()
    now = timezone.now()
    _running(killed, started=now - timedelta(seconds=601), workers=1)
    _running(busy, started=now - timedelta(seconds=30), workers=1)

    assert services.sends_recover_stranded(now=now) == {"again": 1, "failed": 0}
    statuses = {task.pk: task.status for task in _queued_tasks()}
    assert statuses == {killed.pk: "READY", busy.pk: "RUNNING"}
    assert services.sends_recover_stranded(now=now) == {"again": 0, "failed": 0}  # nothing twice
    message = Message.objects.get(recipient="killed@example.org")
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert services.message_deliver(message_id=message.pk) == "sent"  # a second copy finds it sent
    assert [m.to for m in mail.outbox] == [["killed@example.org"]]


def test_a_send_task_whose_worker_keeps_being_killed_fails_its_messages_with_the_reason(settings):
    """After TASK_MAX_RUNS runs the task is recorded failed, and the message it held is failed with a reason
    staff read on the outbox page (and can send again), not left queued for ever."""
    settings.TASKS = DATABASE_TASKS
    mail_send(to="unlucky@example.org", subject="Tomorrow", body="Hello", key="test:unlucky")
    (task,) = _queued_tasks()
    _running(task, started=timezone.now() - timedelta(hours=1), workers=services.TASK_MAX_RUNS)

    assert services.sends_recover_stranded() == {"again": 0, "failed": 1}
    (task,) = _queued_tasks()
    message = Message.objects.get()
    assert task.status == "FAILED" and message.state == State.FAILED
    assert "stopped 5 times" in message.last_error and mail.outbox == []


def test_a_stranded_batch_send_fails_each_of_its_queued_messages_and_leaves_a_sent_one_sent(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    services.messages_queue([{"to": f"family{n}@example.org", "subject": "Tomorrow", "body": "Hello",
                              "key": f"test:batch:{n}"} for n in range(3)])
    task = DBTaskResult.objects.get(task_path="hub.outbox.services.messages_deliver_task")
    first = Message.objects.get(recipient="family0@example.org")
    services.message_deliver(message_id=first.pk)
    _running(task, started=timezone.now() - timedelta(hours=1), workers=services.TASK_MAX_RUNS)

    assert services.sends_recover_stranded() == {"again": 0, "failed": 1}
    assert dict(Message.objects.values_list("recipient", "state")) == {
        "family0@example.org": State.SENT, "family1@example.org": State.FAILED, "family2@example.org": State.FAILED}
