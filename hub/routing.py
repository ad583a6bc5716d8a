"""Websocket routes. Each app that speaks websockets adds its consumers here (`/ws/...`)."""

from django.urls import path

from hub.consumers import DiscussionConsumer

websocket_urlpatterns: list = [
    path("ws/discussion/", DiscussionConsumer.as_asgi()),
]
