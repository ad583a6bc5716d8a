from django.contrib import admin

from coordinators.models import AuditEntry, Barrier, DataSharingAgreement, DistrictSettings, Resource
from hub.admin import ReadOnlyAdmin


@admin.register(DistrictSettings)
class DistrictSettingsAdmin(admin.ModelAdmin):
    list_display = ["district", "visits_in_pairs"]


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(admin.ModelAdmin):
    list_display = ["partner", "district", "signed_on", "expires_on"]
    list_filter = ["district"]


@admin.register(Barrier)
class BarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "kind"]
    list_filter = ["district", "kind"]
    search_fields = ["name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the trail is written by the services."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "district"]
    list_filter = ["action", "district"]
