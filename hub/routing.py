"""Websocket routes. Each app that speaks websockets adds its consumers here (`/ws/...`)."""

websocket_urlpatterns: list = []
