from django.contrib import admin

from coordinators.models import Barrier, DataSharingAgreement, DistrictSettings, Resource


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

