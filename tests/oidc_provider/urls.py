"""The test provider's pages: django-oauth-toolkit's OAuth 2 / OpenID Connect endpoints under /o/, and a
sign-in that takes a user name (a test provider: whoever drives it is whoever they say). A user whose
last name is "Unverified" gets `email_verified: false`."""

from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scope

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "email_verified": user.last_name != "Unverified",
                "name": f"{user.first_name} {user.last_name}".strip(), "given_name": user.first_name,
                "family_name": user.last_name}


FORM = """<!DOCTYPE html><html lang="en"><head><title>Test School sign-in</title></head><body><main>
<h1>Test School</h1><form method="get" action="/sign-in/"><label for="as">School user name</label>
<input id="as" name="as"><input type="hidden" name="next" value="%s"><button>Sign in</button></form>
</main></body></html>"""


def sign_in(request):
    from django.utils.html import escape

    username = request.GET.get("as", "")
    if not username:
        return HttpResponse(FORM % escape(request.GET.get("next", "/")))
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return HttpResponse(f"No user {escape(username)}", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(request.GET.get("next") or "/")


urlpatterns = [
    path("sign-in/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
