"""Settings for the chat benchmark: the Hub's own settings with the channel layer chosen by CHAT_LAYER.

    DJANGO_SETTINGS_MODULE=bench.settings_chat CHAT_LAYER=pubsub REDIS_URL=redis://127.0.0.1:6379/0 daphne ...

CHAT_LAYER is `memory` (InMemoryChannelLayer, one process only), `redis` (channels_redis.core) or
`pubsub` (channels_redis.pubsub). CHAT_LAYER_PREFIX keeps one run's Redis keys apart from another's.
"""

import os

from hub.settings.base import *  # noqa: F403
from hub.settings.base import REDIS_URL
from hub.settings.env import ConfigError

_layer = os.environ.get("CHAT_LAYER", "memory")
_prefix = os.environ.get("CHAT_LAYER_PREFIX", "asgi")
_backends = {
    "redis": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}
if _layer == "memory":
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
elif _layer in _backends:
    if not REDIS_URL:
        raise ConfigError(f"CHAT_LAYER={_layer} needs REDIS_URL")
    # redis-py 8 reads with a 5 s socket timeout by default, the same as channels_redis's blocking
    # BZPOPMIN: an idle consumer then dies with "Timeout reading from ..." (django/channels_redis#422).
    # A longer socket timeout than the blocking pop fixes it.
    _host = {"address": REDIS_URL, "socket_timeout": 15}
    CHANNEL_LAYERS = {"default": {"BACKEND": _backends[_layer], "CONFIG": {"hosts": [_host], "prefix": _prefix}}}
else:
    raise ConfigError(f"CHAT_LAYER must be memory, redis or pubsub, not {_layer!r}")
