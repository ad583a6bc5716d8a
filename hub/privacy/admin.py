from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.privacy.models import PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The record of privacy requests: it is the audit; requests are made by the commands."""

    list_display = ["at", "kind", "subject_kind", "outcome", "operator"]
    list_filter = ["kind", "subject_kind", "outcome"]
    search_fields = ["subject_ref", "operator"]
