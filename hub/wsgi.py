"""WSGI entry point for ordinary pages in production (gunicorn); websockets go to daphne."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.base")

application = get_wsgi_application()
