"""Security headers: the Content-Security-Policy (django-csp) and a Permissions-Policy.

Every page gets the strict policy in settings.CONTENT_SECURITY_POLICY. The two admin sites (Wagtail's
/admin/ and the Django admin at /django-admin/, which Wagtail's editor and django-filer need) use
inline scripts and styles of their own, so paths under HUB_ADMIN_CSP_PREFIXES get
HUB_ADMIN_CONTENT_SECURITY_POLICY instead. The public and visitor pages never get the looser one.
A view's own @csp_override / @csp_update decorators still win over both. Wagtail's preview of a page
keeps the page's strict policy, except that our own admin may frame it.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.HUB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif getattr(request, "is_dummy", False) and parts.replace is None:
            # Wagtail's preview renders the page through the whole middleware stack with a fake request
            # for the page's own URL (Page.make_preview_request), inside the editor's preview panel. Keep
            # the page's strict policy (what visitors will get) but let our own admin frame it.
            parts.replace = {"frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.HUB_ADMIN_CSP_PREFIXES))
