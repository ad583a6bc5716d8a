"""Organisers run roundtables in the Hub's own pages (/roundtables/organise/); the Django admin stays for
superusers, and saving goes through `roundtable.services` (the same checks; more seats promote the waitlist). Sign-ups are read-only here: families change theirs by private link."""

from django.contrib import admin, messages

from hub.admin import ReadOnlyAdmin
from roundtable import errors, selectors, services
from roundtable.models import FamilySignup, Insight, Roundtable


@admin.register(Roundtable)
class RoundtableAdmin(admin.ModelAdmin):
    list_display = ("title_en", "starts_at", "format", "held_in", "capacity")
    list_filter = ("format", "held_in")
    search_fields = ("title_en", "title_es")
    ordering = ("-starts_at",)
    exclude = ("created_by",)
    readonly_fields = ("cancelled_at",)

    def has_change_permission(self, request, obj=None):
        return selectors.may_organise(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            services.roundtable_update(roundtable=obj, by=request.user)
        except errors.RoundtableError as error:
            messages.error(request, str(error))


@admin.register(FamilySignup)
class FamilySignupAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("roundtable", "status", "preferred_language", "children_count", "checked_in_at")
    list_filter = ("status", "preferred_language")
    exclude = ("token_hash",)
    deletable = True

    def has_view_permission(self, request, obj=None):
        return selectors.may_organise(request.user)


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = ("roundtable", "tag", "kind", "text")
    list_filter = ("tag", "kind")

    def has_add_permission(self, request):
        return False
