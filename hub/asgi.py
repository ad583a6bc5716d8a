"""ASGI entry point: daphne serves HTTP and websockets from here.

    daphne -b 127.0.0.1 -p 8000 hub.asgi:application
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.base")

from hub.settings.env import ConfigError  # noqa: E402

try:
    from django.core.asgi import get_asgi_application

    # Set up Django before anything imports models (consumers, routing).
    django_asgi_app = get_asgi_application()
except ConfigError as exc:
    sys.stderr.write(f"Configuration error: {exc}\n")
    sys.exit(2)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from hub.origins import SameOriginValidator  # noqa: E402
from hub.routing import websocket_urlpatterns  # noqa: E402

http_app = django_asgi_app
if settings.SERVE_STATIC:
    # What `runserver` does: serve files from the apps' static folders without collectstatic.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_app = ASGIStaticFilesHandler(django_asgi_app)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        # Only pages of the Hub's own origin (scheme, host and port) may open a socket (hub/origins.py).
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
