"""The idempotency key under real concurrency (PostgreSQL): two beats ticking the same slot at once, each
in its own connection and transaction, make one Run; the second waits on the first's insert, then finds
the slot taken."""

import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from hub.schedule import services
from hub.schedule.models import Run
from tests.double_submit import at_once
from tests.support import require_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 12, 2, 14, 0, 30, tzinfo=UTC)


def test_two_beats_enqueueing_the_same_slot_make_one_run(only_jobs, hourly, daily):
    require_postgres(connection)
    only_jobs(hourly, daily)
    inserted, results, failures = threading.Event(), {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = services.schedule_tick(now=NOW)
                inserted.set()
                time.sleep(0.5)  # holds its uncommitted rows while the second beat inserts the same keys
        except Exception as error:  # noqa: BLE001 - reported to the test
            failures.append(repr(error))
            inserted.set()
        finally:
            connection.close()

    def second():
        try:
            inserted.wait(10)
            results["second"] = services.schedule_tick(now=NOW)
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert failures == []
    assert len(results["first"]) == 2 and results["second"] == []
    assert sorted(Run.objects.values_list("job", flat=True)) == ["count_daily", "count_hourly"]


def test_six_beats_released_together_make_one_run_per_slot(only_jobs, hourly):
    require_postgres(connection)
    only_jobs(hourly)
    results, failures = at_once(6, lambda _: len(services.schedule_tick(now=NOW)))
    assert failures == []
    assert sorted(results) == [0, 0, 0, 0, 0, 1]
    assert Run.objects.count() == 1
