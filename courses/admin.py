from django.contrib import admin

from courses.models import Certificate, PracticeCredit


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued and revoked by `courses.services` (the Certificates page)."""

    list_display = ["person", "course", "issued_at", "valid_until", "revoked_at"]
    list_filter = ["course"]
    search_fields = ["person__user__first_name", "person__user__last_name"]
    list_select_related = ["person__user", "course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PracticeCredit)
class PracticeCreditAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "attended_on", "source"]
    list_select_related = ["person__user", "course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
