"""The real services the Hub runs on in production: PostgreSQL and Redis."""

import os

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from tests.support import REDIS_URL, redis_available, unavailable

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


def test_two_redis_channel_layers_share_a_group_like_two_daphne_processes_do():
    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    from channels_redis.core import RedisChannelLayer

    # Two layers with separate connections stand for two daphne processes sharing one Redis.
    sender = RedisChannelLayer(hosts=[REDIS_URL], prefix="hubtest")
    receiver = RedisChannelLayer(hosts=[REDIS_URL], prefix="hubtest")

    async def exchange():
        channel = await receiver.new_channel()
        await receiver.group_add("district.hartford", channel)
        try:
            await sender.group_send("district.hartford", {"type": "chat.message", "text": "hello"})
            return await receiver.receive(channel)
        finally:
            await receiver.group_discard("district.hartford", channel)
            await sender.flush()

    message = async_to_sync(exchange)()
    assert message == {"type": "chat.message", "text": "hello"}
