"""Wagtail admin wiring: the role-play scenario library as a snippet with search and a stage filter."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Scenario


class ScenarioViewSet(SnippetViewSet):
    model = Scenario
    icon = "group"
    menu_label = "Role-play scenarios"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["title", "stage", "updated_at"]
    list_filter = ["stage"]
    search_fields = ["title", "family_situation"]


register_snippet(ScenarioViewSet)
