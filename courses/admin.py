from django.contrib import admin

from courses.models import Certificate, PracticeCredit
from hub.admin import ReadOnlyAdmin


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: certificates are issued and revoked by `courses.services` (the Certificates page)."""

    list_display = ["person", "course", "issued_at", "valid_until", "revoked_at"]
    list_filter = ["course"]
    search_fields = ["person__user__first_name", "person__user__last_name"]
    list_select_related = ["person__user", "course"]


@admin.register(PracticeCredit)
class PracticeCreditAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["person", "course", "attended_on", "source"]
    list_select_related = ["person__user", "course"]
    deletable = True
