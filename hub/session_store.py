"""The session engine (SESSION_ENGINE = "hub.session_store"): Django's database sessions, stored in
`hub.UserSession` with the signed-in account beside them (Django's documented way to extend the database
session engine), so `hub.selectors.sessions_of(user)` is an indexed lookup. The store itself is
`hub.models.UserSessionStore`."""

from hub.models import UserSessionStore as SessionStore

__all__ = ["SessionStore"]
