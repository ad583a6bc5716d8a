"""Wagtail admin wiring: django-filer's "Choose File" popup in the page editor (recordings).

Wagtail does not load the Django admin's popup JavaScript, so filer's picker navigated the whole
editor away (DEPENDENCIES.md §5). Loading these three scripts makes it open as a popup.
"""

from django.templatetags.static import static
from django.utils.html import format_html_join
from wagtail import hooks

_POPUP_SCRIPTS = ("admin/js/vendor/jquery/jquery.min.js", "admin/js/jquery.init.js",
                  "admin/js/admin/RelatedObjectLookups.js")


@hooks.register("insert_editor_js")
def filer_picker_popup_js():
    return format_html_join("", '<script src="{}"></script>', ((static(path),) for path in _POPUP_SCRIPTS))
