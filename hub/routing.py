"""Websocket routes. Each app that speaks websockets adds its consumers here (`/ws/...`)."""

from django.urls import path

from coordinators.consumers import CaseBoardConsumer
from hub.discussion.consumers import DiscussionConsumer

websocket_urlpatterns: list = [
    path("ws/discussion/", DiscussionConsumer.as_asgi()),
    path("ws/board/<int:district_id>/", CaseBoardConsumer.as_asgi()),
]
