"""Helpers for tests that talk to the Hub's websockets through the real ASGI stack (origin check,
session cookie, routing, consumer), shared by the discussion, board, two-step and hostile tests."""

import pytest
from asgiref.sync import SyncToAsync
from channels.testing import WebsocketCommunicator
from django.db import connections

ORIGIN = (b"origin", b"http://localhost")
HOST = (b"host", b"localhost")  # what a browser on http://localhost sends with its Origin


@pytest.fixture
def fresh_layer():
    """A channel layer per test (its queues belong to the test's event loop). The consumers' database
    thread keeps its connection (CONN_MAX_AGE on PostgreSQL); it is closed after, or the test database
    could not be dropped at the end of the run. Rate limits live in the cache, which every test starts
    empty (tests/conftest.py)."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


async def socket_open(path: str, key: str | None = None, *, origin=ORIGIN, host=HOST, headers=()
                      ) -> tuple[WebsocketCommunicator, bool, int]:
    """(communicator, accepted, close code) for a socket on `path` with the session `key`; `origin` and
    `host` are header pairs (None: not sent), `headers` more of them."""
    from hub.asgi import application

    headers = [h for h in (origin, host) if h] + list(headers)
    if key:
        headers.append((b"cookie", f"sessionid={key}".encode()))
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await comm.connect()
    comm.refused_with = None if connected else code
    return comm, connected, code


async def expect(comm, kind: str, timeout: float = 2) -> dict:
    """The next frame, which must be of type `kind`."""
    frame = await comm.receive_json_from(timeout=timeout)
    assert frame["type"] == kind, frame
    return frame
