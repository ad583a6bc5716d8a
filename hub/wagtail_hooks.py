"""Wagtail admin wiring for the shared layer: organisations as snippets for trainers and staff."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.models import District, Partner, School


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = "Districts"
    list_display = ["name", "region", "leap_since"]
    list_filter = ["region"]
    search_fields = ["name"]
    ordering = ["name"]


class SchoolViewSet(SnippetViewSet):
    model = School
    icon = "home"
    list_display = ["name", "district", "grades"]
    list_filter = ["district"]
    search_fields = ["name"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


register_snippet(DistrictViewSet)
register_snippet(SchoolViewSet)
register_snippet(PartnerViewSet)
