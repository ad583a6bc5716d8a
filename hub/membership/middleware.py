"""Names who made a role, district or active change during a request (`hub.membership.recording`)."""

from hub.membership.recording import changes_by

ADMIN_PATHS = ("/django-admin/", "/admin/")


class ChangesByRequestMiddleware:
    """Changes made while answering a request are the signed-in user's, "admin" under the Django and
    Wagtail admins, "web" elsewhere; a service that names its own `changes_by` wins inside it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = "admin" if request.path.startswith(ADMIN_PATHS) else "web"
        with changes_by(by=lambda: getattr(request, "user", None), via=via):
            return self.get_response(request)
