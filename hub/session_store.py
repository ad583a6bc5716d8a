"""The session engine (SESSION_ENGINE = "hub.session_store"): Django's database sessions, stored in
`hub.UserSession` with the signed-in account beside them (Django's documented way to extend the database
session engine), so `sessions_of(user)` is an indexed lookup."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from hub.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None
        return session
