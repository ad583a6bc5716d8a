from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub.twofactor.forms import SignInForm

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("filer/", include("filer.urls")),
    path("", include("hub.hub_urls")),
    path("discussion/", include("hub.discussion.urls")),
    path("privacy/", include("hub.privacy.urls")),
    path("join/", include("hub.joining.urls")),
    path("people/", include("hub.membership.urls")),
    path("outbox/", include("hub.outbox.urls")),
    path("training/", include("courses.urls")),
    path("sessions/", include("sessions.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("roundtables/", include("roundtable.urls")),
    path("", include("filer.server.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
