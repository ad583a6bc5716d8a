"""The trainers' course analytics page and its CSV: aggregates only, read through `courses.analytics_selectors`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.analytics_selectors import (
    analytics_courses,
    analytics_sections,
    course_figures,
    figures_csv_rows,
    may_see_analytics,
)
from hub.exports import csv_response
from hub.queries import QueryForm, QueryInt, query_read


class AnalyticsQuery(QueryForm):
    course = QueryInt(label=gettext_lazy("Course"))


def _allowed_or_403(request):
    if not may_see_analytics(request.user):
        raise PermissionDenied(_("Only trainers and state staff see course analytics."))


def _course(courses, course_id):
    if course_id is None:
        return courses[0] if courses else None
    for course in courses:
        if course.pk == course_id:
            return course
    raise Http404(_("No such published course."))


@login_required
def course_analytics(request):
    _allowed_or_403(request)
    course_id = query_read(AnalyticsQuery, request.GET)["course"]
    courses = analytics_courses()
    course = _course(courses, course_id)
    figures = course_figures(course=course) if course else None
    sections = analytics_sections(course=course) if course else []
    return render(request, "courses/analytics.html",
                  {"courses": courses, "course": course, "figures": figures, "sections": sections})


@login_required
def course_analytics_csv(request, course_id: int):
    _allowed_or_403(request)
    course = _course(analytics_courses(), course_id)
    header, rows = figures_csv_rows(course_figures(course=course))
    # Aggregates only, naming nobody: no export audit (hub.exports' rule for files that name no one).
    return csv_response(filename=f"{course.code}-analytics.csv", header=header, rows=rows, audit=None)
