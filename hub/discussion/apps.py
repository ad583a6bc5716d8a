from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """The discussion space: rooms, messages, moderation and mentions, over websockets and plain pages."""

    name = "hub.discussion"
    label = "discussion"
    verbose_name = "Discussion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub.navigation import NavItem, nav_register

        nav_register(NavItem("Discussion", "discussion:rooms", order=40))
        import hub.discussion.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
        from hub.discussion.selectors import message_mention_reason
        from hub.outbox.relevance import relevance_register

        relevance_register("discussion.message", message_mention_reason)  # no mention email for a deleted message
