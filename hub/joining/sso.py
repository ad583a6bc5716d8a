"""Single sign-on: the Hub's rules at django-allauth's hooks (SOCIALACCOUNT_ADAPTER).

allauth runs the OpenID Connect exchange (state, PKCE, the ID token's signature, issuer and audience);
the Hub decides who gets in, in one service (`hub.joining.services.sso_account_for`): the account that
uses the provider's *verified* address, or the invitation the person came from. Nobody is signed up by
allauth (`is_open_for_signup` is False), and every refusal or failure is a page that says why, with
nothing written. Signing in goes through Django's `login()` like a password sign-in, so the session
store (hub.UserSession, sockets follow the session) and the two-step gate (hub.twofactor.middleware:
staff still give the Hub's own second step) apply unchanged.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from hub.joining import selectors, services
from hub.joining.errors import LinkUnusable, SsoRefused
from hub.joining.models import LINK_UNKNOWN, SSO_FAILED, SSO_NOT_OFFERED, SSO_OTHER_ACCOUNT

INVITATION_STATE_KEY = "invitation"  # in the sign-in's state (allauth keeps it in the session)


def refusal_page(request, *, message: str, reason: str, status: int = 403):
    return render(request, "joining/sso_refused.html", {"message": message, "reason": reason}, status=status)


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


class HubSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # accounts come from invitations (or the admin), never from a provider

    def send_notification_mail(self, *args, **kwargs) -> None:
        return None  # the Hub's mail goes through its outbox (hub.mail); a sign-in sends none

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """The provider refused or cancelled, or its answer did not check out (an unknown or replayed
        `state`, a bad code or token): one clear page, nothing written."""
        name = getattr(getattr(provider, "app", None), "name", "") or _("your school account")
        raise ImmediateHttpResponse(refusal_page(request, reason=SSO_FAILED, status=400, message=_(
            "Signing in with %(provider)s did not complete, so nothing was changed. Start again from the "
            "sign-in page, or sign in with your password.") % {"provider": name}))

    def pre_social_login(self, request, sociallogin) -> None:
        if sociallogin.state.get("process") != AuthProcess.LOGIN:
            raise ImmediateHttpResponse(refusal_page(request, reason=SSO_NOT_OFFERED, message=_(
                "The Hub links your school account by its email address when you sign in; there is nothing "
                "to connect by hand.")))
        claims = _claims(sociallogin)
        addresses = sociallogin.email_addresses or []
        address = next((a for a in addresses if a.primary), addresses[0] if addresses else None)
        verified = selectors.sso_email_verified(provider_id=sociallogin.account.provider, claims=claims,
                                                verified=bool(address and address.verified))
        data = sociallogin.state.get("data")
        token = data.get(INVITATION_STATE_KEY) if isinstance(data, dict) else None
        name = claims.get("name") or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p)
        try:
            with transaction.atomic():
                user = services.sso_account_for(email=address.email if address else "", verified=verified,
                                                invitation_token=token, name=str(name or ""))
                if sociallogin.is_existing and sociallogin.user.pk != user.pk:
                    raise SsoRefused(_("This school account is linked to another Hub account. Ask your "
                                       "coordinator."), reason=SSO_OTHER_ACCOUNT)
                if not sociallogin.is_existing:
                    sociallogin.connect(request, user)
        except LinkUnusable as exc:
            raise ImmediateHttpResponse(render(
                request, "joining/link_unusable.html", {"message": str(exc), "reason": exc.reason},
                status=404 if exc.reason == LINK_UNKNOWN else 410)) from None
        except SsoRefused as exc:
            raise ImmediateHttpResponse(refusal_page(request, message=str(exc), reason=exc.reason)) from None
        if token:
            sociallogin.state["next"] = selectors.landing_url()
            messages.success(request, _("Welcome to the Home Visit Hub. You sign in with your school account."))


def sign_in_start(request, *, provider_id: str, next_url: str, invitation_token: str | None = None):
    """Send the browser to the provider (allauth stashes the state, with the invitation, in the session).
    An unknown or unconfigured provider is a 404."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialApp
    from django.http import Http404

    try:
        provider = get_adapter(request).get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        raise Http404(_("No such sign-in provider.")) from None
    data = {INVITATION_STATE_KEY: invitation_token} if invitation_token else None
    return provider.redirect(request, AuthProcess.LOGIN, next_url=next_url, data=data)
