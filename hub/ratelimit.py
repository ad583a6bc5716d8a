"""Rate limits kept in the shared cache (Redis when `REDIS_URL` is set), so every process counts the
same allowance: the public sign-up limit per address, and the websocket write limit per person.

Two shapes, both on atomic cache counters (`cache.add` then `cache.incr`), so simultaneous requests on
different processes cannot slip past them:
- `fixed_window_hit`: at most `limit` in each window of `window` seconds (sign-ups: 5 per 10 minutes);
- `sliding_window_hit`: at most about `limit` in any `window` seconds, weighing the previous window by
  how much of it still overlaps (a token bucket's behaviour: a burst of `limit`, then `limit/window` a
  second), for limits that must not allow twice the burst across a window edge.
"""

import time

from django.core.cache import cache


def _count_add(key: str, timeout: float) -> int:
    cache.add(key, 0, timeout=int(timeout) + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=int(timeout) + 5)
        return 1


def fixed_window_hit(key: str, *, limit: int, window: float, now: float | None = None) -> bool:
    """Count one attempt; False once more than `limit` were made in the current window."""
    slot = int((now if now is not None else time.time()) // window)
    return _count_add(f"rate:{key}:{slot}", window) <= limit


def sliding_window_hit(key: str, *, limit: int, window: float, now: float | None = None) -> bool:
    """One more, if the weighted count of the last `window` seconds leaves room; refused ones don't count."""
    now = now if now is not None else time.time()
    slot = int(now // window)
    overlap = 1 - (now / window - slot)
    current_key, previous_key = f"rate:{key}:{slot}", f"rate:{key}:{slot - 1}"
    counts = cache.get_many([current_key, previous_key])
    if counts.get(previous_key, 0) * overlap + counts.get(current_key, 0) + 1 > limit:
        return False
    _count_add(current_key, 2 * window)
    return True
