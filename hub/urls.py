from allauth.account import views as allauth_account_views
from allauth.socialaccount import views as allauth_social_views
from allauth.socialaccount.providers.openid_connect import urls as allauth_oidc_urls
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub.media_serve import media_serve
from hub.twofactor.forms import SignInForm

# Single sign-on (hub/joining/sso.py): only the parts of allauth.urls a third-party sign-in needs. Its
# own sign-up, password, email and "connect an account" pages are not mounted; the names allauth reverses
# point at the Hub's sign-in page (account_login shares its path and never answers).
sso_urlpatterns = [
    path("login/", allauth_account_views.login, name="account_login"),
    path("inactive/", allauth_account_views.account_inactive, name="account_inactive"),
    path("3rdparty/login/cancelled/", allauth_social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("3rdparty/login/error/", allauth_social_views.login_error, name="socialaccount_login_error"),
    *allauth_oidc_urls.urlpatterns,  # oidc/<provider>/login/ and oidc/<provider>/login/callback/
]

handler400 = "hub.views.error_400"
handler403 = "hub.views.error_403"
handler404 = "hub.views.error_404"
handler500 = "hub.views.error_500"

urlpatterns = [
    # Kept mounted: Wagtail's page editor and filer's picker need the Django admin (DEPENDENCIES §5).
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/two-step/", include("hub.twofactor.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include(sso_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("filer/", include("filer.urls")),
    path("", include("hub.hub_urls")),
    path("discussion/", include("hub.discussion.urls")),
    path("privacy/", include("hub.privacy.urls")),
    path("join/", include("hub.joining.urls")),
    path("people/", include("hub.membership.urls")),
    path("outbox/", include("hub.outbox.urls")),
    path("schedule/", include("hub.schedule.urls")),
    path("jobs/", include("hub.jobs.urls")),
    path("training/", include("courses.urls")),
    path("sessions/", include("sessions.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("roundtables/", include("roundtable.urls")),
    path("", include("courses.badge_urls")),  # /badges/... and /.well-known/jwks.json (Open Badges 3.0)
    path("", include("filer.server.urls")),
]

# /media/ from the Hub itself only with SERVE_MEDIA (DEBUG, or the browser journeys); production: nginx
# (deploy/). Always mounted, so every run sees the same views: without SERVE_MEDIA it answers 404.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", media_serve, name="hub_media")]

urlpatterns += [path("", include(wagtail_urls))]
