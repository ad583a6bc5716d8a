"""Pages of live sessions. Views read through `sessions.selectors` and write through
`sessions.services`; a refusal becomes a message (and a 4xx where nothing else is shown)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import may_coach
from hub.capacity import SeatStatus, waitlist_position
from hub.errors import HubError
from hub.program import PROGRAM_TZ
from hub.queries import CALENDAR_FIRST, CALENDAR_LAST, query_read
from sessions import errors, ical, selectors, services
from sessions.forms import (
    CalendarQuery,
    MoveForm,
    ObservationForm,
    ObservationQuery,
    RecordingUploadForm,
    SeriesForm,
    UpcomingQuery,
)
from sessions.models import CalendarFeed, Kind, Series


def _person_or_403(request):
    person = selectors.person_for(request.user)
    if person is None:
        raise PermissionDenied("Your account has no Hub profile yet; ask the Hub team.")
    return person


def _manager_or_403(request):
    if not selectors.may_manage_sessions(request.user):
        raise PermissionDenied("Only trainers and state staff schedule sessions.")


def _series(series_id) -> Series:
    return get_object_or_404(Series.objects.select_related("event", "event__rule", "district"), pk=series_id)


def _row(request, series_id, key):
    """The occurrence the URL names, seen by this user (404 when the series does not meet then)."""
    series = _series(series_id)
    start = selectors.parse_occurrence_key(key)
    if start is None:
        raise Http404("No such session.")
    viewer = selectors.viewer_for(request.user)
    if not selectors.series_visible(series=series, viewer=viewer):
        raise PermissionDenied(selectors.audience_refusal(series=series, viewer=viewer))
    row = selectors.occurrence_at(series=series, start=start, viewer=viewer)
    if row is None:
        raise Http404("This series does not meet at that time.")
    return row, viewer


def _render(request, template: str, context: dict, status: int = 200):
    """Render with what the sessions sub-navigation needs."""
    from sessions.models import RecordingIndexPage

    context.setdefault("manager", selectors.may_manage_sessions(request.user))
    index = RecordingIndexPage.objects.live().only("url_path", "path", "depth").first()
    context["recordings_url"] = index.url if index is not None else ""
    return render(request, template, context, status=status)


@login_required
def upcoming(request):
    query = query_read(UpcomingQuery, request.GET)  # `from` within the calendar's years (hub.queries)
    kind, chosen = query["kind"] or None, query["from"]
    start = timezone.now()
    if chosen is not None:
        start = max(start, datetime.combine(chosen, datetime.min.time(), tzinfo=PROGRAM_TZ))
    days = 42
    rows = selectors.upcoming(user=request.user, days=days, kind=kind, start=start)
    later = (start + timedelta(days=days)).astimezone(PROGRAM_TZ).date()
    today = timezone.localdate()
    return _render(request, "sessions/upcoming.html", {
        "rows": rows, "kind": kind, "kinds": Kind.choices, "later": later if later <= CALENDAR_LAST else None,
        "until": later - timedelta(days=1),
        "this_month": (today.year, today.month), "manager": selectors.may_manage_sessions(request.user),
    })


@login_required
def month(request, year: int | None = None, month: int | None = None):
    today = timezone.localdate()
    year = today.year if year is None else year
    month = today.month if month is None else month
    if not (CALENDAR_FIRST.year <= year <= CALENDAR_LAST.year and 1 <= month <= 12):
        raise Http404("No such month.")
    kind = query_read(CalendarQuery, request.GET)["kind"] or None
    start, end = selectors.month_bounds(year, month)
    rows = selectors.occurrences_between(user=request.user, start=start, end=end, kind=kind)
    previous, following = (start - timedelta(days=1)).date(), end.date()
    # No links to months the calendar does not show (they would be 404s).
    previous = previous if previous >= CALENDAR_FIRST else None
    following = following if following <= CALENDAR_LAST else None
    return _render(request, "sessions/month.html", {
        "weeks": selectors.month_weeks(year=year, month=month, rows=rows), "month_start": start.date(),
        "previous": previous, "next": following, "kind": kind, "kinds": Kind.choices, "today": today,
        "count": len(rows),
    })


@login_required
def occurrence(request, series_id: int, key: str):
    row, viewer = _row(request, series_id, key)
    context = {"row": row, "series": row.series, "manager": viewer.manager, "move_form": None}
    if row.my_registration is not None and row.my_registration.status == SeatStatus.WAITLISTED:
        context["position"] = waitlist_position(seat=row.my_registration,
                                                holders=row.persisted.registrations.all())
    if viewer.manager:
        context["registrants"] = selectors.registrants(occurrence=row.persisted) if row.persisted else []
        for reg in context["registrants"]:
            reg.marked = selectors.registration_attendance(reg)
        local = row.start.astimezone(PROGRAM_TZ)
        context["move_form"] = MoveForm(initial={"new_date": local.date(), "new_time": local.time()})
        context["attendance_open"] = row.start <= timezone.now() and not row.cancelled
    context["scenarios"] = list(row.series.scenarios.all()) if row.series.kind == Kind.LEAP101_PRACTICE else []
    context["may_observe"] = (row.series.kind == Kind.LEAP101_PRACTICE and row.persisted is not None
                              and not row.cancelled and row.start <= timezone.now() and may_coach(request.user))
    context["facilitators"] = list(row.series.facilitators.select_related("user"))
    return _render(request, "sessions/occurrence.html", context)


def _room_opened(request, series_id: int, key: str, open_room):
    """(row, room) with the room `open_room(row=..., viewer=...)` opens for this session, or (row, None) with
    the refusal shown as a message."""
    row, viewer = _row(request, series_id, key)
    try:
        return row, open_room(row=row, viewer=viewer)
    except HubError as error:
        messages.error(request, str(error))
        return row, None


@login_required
@require_POST
def occurrence_cohort(request, series_id: int, key: str):
    """Open (creating on first use) the room of this LEAP 101 live training's cohort."""
    from hub.discussion.formatting import room_url

    row, room = _room_opened(request, series_id, key, services.cohort_room_open)
    return redirect(row.url if room is None else room_url(room))


@login_required
def observations(request, series_id: int, key: str):
    """A coach's page at a LEAP 101 live practice: the participants, what was recorded already, and the
    form for one role play (choose a participant and a scenario, then tick the rubric, note, outcome)."""
    from courses.selectors import course_scenarios, observations_at
    from courses.services import course_by_code
    from hub.program import CERTIFICATION_COURSE

    if not may_coach(request.user):
        raise PermissionDenied(_("Only coaches record role-play observations; a Hub trainer gives the coach role."))
    row, _viewer = _row(request, series_id, key)
    if row.series.kind != Kind.LEAP101_PRACTICE or row.persisted is None or row.cancelled:
        raise Http404(_("This is not a LEAP 101 live practice with participants."))
    if row.start > timezone.now():
        raise PermissionDenied(_("Record observations once the practice has started."))
    query = query_read(ObservationQuery, request.GET)
    try:
        course = course_by_code(CERTIFICATION_COURSE)
    except HubError:
        raise Http404(_("LEAP 101 is not published.")) from None
    scenarios = course_scenarios(course=course)
    participants = selectors.practice_participants(occurrence=row.persisted)
    data = request.POST if request.method == "POST" else None
    chosen_person = query["participant"] if data is None else _as_id(data.get("participant"))
    chosen_scenario = query["scenario"] if data is None else _as_id(data.get("scenario"))
    participant = next((r.person for r in participants if r.person_id == chosen_person), None)
    scenario = next((s for s in scenarios if s.pk == chosen_scenario), None)
    form, status = None, 200
    if participant is not None and scenario is not None or data is not None:
        form = ObservationForm(data, rubric=scenario.rubric_list if scenario else (),
                               initial={"participant": chosen_person, "scenario": chosen_scenario})
    if data is not None:
        if form.is_valid():
            try:
                observation, _created = services.practice_observation_record(
                    occurrence=row.persisted, by=request.user, participant_id=form.cleaned_data["participant"],
                    scenario_id=form.cleaned_data["scenario"], met=form.cleaned_data["met"],
                    note=form.cleaned_data["note"], outcome=form.cleaned_data["outcome"],
                    form_token=form.cleaned_data["form_token"])
            except HubError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Observation recorded: %(name)s, %(scenario)s, %(outcome)s.") % {
                    "name": observation.participant.full_name, "scenario": observation.scenario.title,
                    "outcome": _("ready") if observation.ready else _("practise again")})
                return redirect(reverse("training_sessions:observations", args=[series_id, key]))
        status = 400
    recorded = observations_at(source=selectors.OBSERVATION_SOURCE, source_ref=str(row.persisted.pk))
    for reg in participants:
        reg.observations = recorded.get(reg.person_id, [])
    return _render(request, "sessions/observations.html", {
        "row": row, "series": row.series, "participants": participants, "scenarios": scenarios,
        "participant": participant, "scenario": scenario, "form": form,
    }, status=status)


def _as_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
@require_POST
def occurrence_chat(request, series_id: int, key: str):
    """Open (creating on first use) the discussion room beside this session."""
    from hub.discussion.formatting import room_url

    row, room = _room_opened(request, series_id, key, services.session_room_open)
    if room is None:
        return redirect(row.url)
    if not room.opens_at <= timezone.now() <= room.closes_at:
        messages.info(request, "The session chat is open from an hour before the session to a day after it.")
        return redirect(row.url)
    return redirect(room_url(room))


@login_required
@require_POST
def register(request, series_id: int, key: str):
    row, _ = _row(request, series_id, key)
    person = _person_or_403(request)
    try:
        registration = services.registration_create(series=row.series, start=row.original_start, person=person)
    except errors.AlreadyRegistered as error:
        messages.info(request, str(error))  # the same button pressed twice: the first press counted
        return redirect(row.url)
    except HubError as error:
        messages.error(request, str(error))
        return redirect(row.url)
    if registration.status == SeatStatus.CONFIRMED:
        messages.success(request, "You're registered: your seat is confirmed.")
    else:
        position = waitlist_position(seat=registration, holders=registration.occurrence.registrations.all())
        messages.warning(request, f"This session is full, so you are on the waitlist (number {position}). "
                                  "We will e-mail you if a seat opens.")
    return redirect(row.url)


@login_required
@require_POST
def unregister(request, series_id: int, key: str):
    row, _ = _row(request, series_id, key)
    if row.my_registration is None:
        messages.error(request, "You are not registered for this session.")
        return redirect(row.url)
    try:
        services.registration_cancel(registration=row.my_registration, by=request.user)
    except HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your registration is cancelled.")
    return redirect(row.url)


@login_required
@require_POST
def attendance(request, series_id: int, key: str):
    _manager_or_403(request)
    row, _ = _row(request, series_id, key)
    if row.persisted is None:
        messages.error(request, "Nobody is registered for this session.")
        return redirect(row.url)
    changed, problems = 0, []
    for reg in selectors.registrants(occurrence=row.persisted):
        value = request.POST.get(f"attendance-{reg.pk}", "")
        if value not in ("present", "absent"):
            if value:
                problems.append(f"{reg.person}: choose present or absent.")
            continue
        marked = selectors.registration_attendance(reg)
        if marked is not None and marked.present == (value == "present"):
            continue
        try:
            services.attendance_mark(registration=reg, present=value == "present", by=request.user)
            changed += 1
        except HubError as error:
            problems.append(f"{reg.person}: {error}")
    for problem in problems:
        messages.error(request, problem)
    if changed or not problems:
        messages.success(request, f"Attendance saved ({changed} change{'s' if changed != 1 else ''}).")
    return redirect(row.url)


@login_required
@require_POST
def cancel_occurrence(request, series_id: int, key: str):
    _manager_or_403(request)
    row, _ = _row(request, series_id, key)
    try:
        services.occurrence_cancel(series=row.series, start=row.original_start, by=request.user)
    except HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "This session is cancelled; registrants were told. Other dates are unchanged.")
    return redirect(row.url)


@login_required
@require_POST
def occurrence_renewal(request, series_id: int, key: str):
    """A trainer marks this date required for renewal, or stops counting it."""
    _manager_or_403(request)
    row, _ = _row(request, series_id, key)
    choice = request.POST.get("required", "")
    if choice not in ("yes", "no"):
        messages.error(request, "Choose whether this session counts toward renewal.")
        return redirect(row.url)
    try:
        services.occurrence_renewal_set(series=row.series, start=row.original_start, required=choice == "yes",
                                        by=request.user)
    except HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "This session now counts toward a LEAP 101 renewal." if choice == "yes"
                         else "This session no longer counts toward a renewal.")
    return redirect(row.url)


def _live_recording(page_id: int):
    from sessions.models import RecordingPage

    return get_object_or_404(RecordingPage.objects.live().specific(), pk=page_id)


@login_required
@require_POST
def recording_progress(request, page_id: int):
    """The player's position, sent by the recording page while it plays (sessions/makeup.js): JSON back."""
    from django.http import JsonResponse

    recording = _live_recording(page_id)
    try:
        watch = services.recording_progress(user=request.user, recording=recording,
                                            position=request.POST.get("position"))
    except errors.MakeupRefused as error:
        raise Http404(str(error)) from None
    except errors.InvalidProgress as error:
        return JsonResponse({"error": str(error)}, status=400)
    makeup = selectors.recording_makeup(user=request.user, recording=recording)
    return JsonResponse({"percent": makeup.percent, "played_enough": makeup.played_enough,
                         "counted": watch.counted_at is not None})


@login_required
@require_POST
def recording_reflection(request, page_id: int):
    recording = _live_recording(page_id)
    try:
        watch = services.recording_reflection_save(user=request.user, recording=recording,
                                                   text=request.POST.get("reflection", ""))
    except errors.MakeupRefused as error:
        raise Http404(str(error)) from None
    except errors.InvalidProgress as error:
        messages.error(request, str(error))
    else:
        if watch.counted_at is not None:
            messages.success(request, _("Thank you. This session now counts toward your renewal."))
        else:
            messages.success(request, _("Your answer is saved. Play at least %(n)s%% of the recording and the "
                                        "session counts toward your renewal.") % {"n": round(100 * selectors.MAKEUP_SHARE)})
    return redirect(recording.url)


@login_required
@require_POST
def move_occurrence(request, series_id: int, key: str):
    _manager_or_403(request)
    row, _ = _row(request, series_id, key)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new date and start time.")
        return redirect(row.url)
    new_start = datetime.combine(form.cleaned_data["new_date"], form.cleaned_data["new_time"], tzinfo=PROGRAM_TZ)
    try:
        services.occurrence_move(series=row.series, start=row.original_start, new_start=new_start, by=request.user)
    except HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "This session is moved; registrants were told. Other dates are unchanged.")
    return redirect(row.url)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def occurrence_ics(request, series_id: int, key: str):
    row, _ = _row(request, series_id, key)
    return _ics_response(ical.occurrence_ics(row=row), f"{row.series.slug}-{row.local_date}.ics")


@login_required
def series_feed(request, series_id: int):
    series = _series(series_id)
    viewer = selectors.viewer_for(request.user)
    if not selectors.series_visible(series=series, viewer=viewer):
        raise PermissionDenied(selectors.audience_refusal(series=series, viewer=viewer))
    return _ics_response(ical.series_ics(series=series), f"{series.slug}.ics")


def personal_feed(request, token: str):
    """No sign-in (calendar apps cannot): the secret token is the key. A replaced token is a 404."""
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.user.is_active:
        raise Http404("No such calendar.")
    return _ics_response(ical.personal_ics(person=feed.person), "home-visit-hub-sessions.ics")


@login_required
def mine(request):
    person = _person_or_403(request)
    feed = services.calendar_feed_ensure(person=person)
    regs = selectors.my_registrations(person=person)
    now = timezone.now()
    for reg in regs:
        reg.marked = selectors.registration_attendance(reg)
        reg.url = selectors.OccurrenceRow(series=reg.occurrence.series, original_start=reg.occurrence.original_start,
                                          start=reg.occurrence.occurrence.start,
                                          end=reg.occurrence.occurrence.end).url
    return _render(request, "sessions/mine.html", {
        "upcoming": [r for r in regs if r.occurrence.occurrence.end > now],
        "past": [r for r in reversed(regs) if r.occurrence.occurrence.end <= now],
        "feed_url": request.build_absolute_uri(f"/sessions/feed/{feed.token}.ics"),
    })


@login_required
@require_POST
def feed_regenerate(request):
    person = _person_or_403(request)
    services.calendar_feed_regenerate(person=person)
    messages.success(request, "Your calendar has a new address. Subscribe to it again; the old one no longer works.")
    return redirect("training_sessions:mine")


@login_required
def manage(request):
    _manager_or_403(request)
    return _render(request, "sessions/manage.html", {"series_list": selectors.series_for_managers()})


def _series_form_view(request, series: Series | None):
    _manager_or_403(request)
    if series is None:
        initial = {"repeat": "biweekly", "capacity": 20, "duration_minutes": 60}
    else:
        initial = {
            "kind": series.kind, "title": series.title, "description": series.description,
            "facilitators": series.facilitators.all(), "scenarios": series.scenarios.all(),
            "audience": series.audience, "district": series.district, "capacity": series.capacity,
            "join_link": series.join_link, "repeat": series.repeat, "weekday": series.weekday, "nth": series.nth,
            "first_date": series.first_date, "last_date": series.last_date, "start_time": series.start_time,
            "duration_minutes": series.duration_minutes,
        }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if series is None:
                series = services.series_create(by=request.user, form_token=form.cleaned_data["form_token"],
                                                **form.service_kwargs())
                messages.success(request, f"{series.title} is scheduled.")
            else:
                series = services.series_update(series=series, by=request.user, **form.service_kwargs())
                messages.success(request, f"{series.title} is updated.")
        except HubError as error:
            form.add_error(None, str(error))
        else:
            return redirect("training_sessions:series", series_id=series.pk)
    return _render(request, "sessions/series_form.html", {"form": form, "series": series})


@login_required
def series_new(request):
    return _series_form_view(request, None)


@login_required
def series_edit(request, series_id: int):
    return _series_form_view(request, _series(series_id))


@login_required
def series_detail(request, series_id: int):
    series = _series(series_id)
    viewer = selectors.viewer_for(request.user)
    if not selectors.series_visible(series=series, viewer=viewer):
        raise PermissionDenied(selectors.audience_refusal(series=series, viewer=viewer))
    start = max(timezone.now(), series.event.start - timedelta(minutes=1))
    end = (series.event.end_recurring_period or series.event.end) + timedelta(days=1)
    end = max(end, start + timedelta(days=1))
    rows = selectors.occurrences_between(user=request.user, start=start, end=min(end, start + timedelta(days=400)),
                                         series_ids=[series.pk], viewer=viewer)
    return _render(request, "sessions/series.html", {
        "series": series, "rows": rows, "manager": viewer.manager,
        "facilitators": list(series.facilitators.select_related("user")),
    })


@login_required
def recording_upload(request):
    _manager_or_403(request)
    form = RecordingUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stored = services.recording_upload(uploaded=form.cleaned_data["file"], by=request.user,
                                                   title=form.cleaned_data["title"])
            except HubError as error:
                form.add_error("file", str(error))
                status = 400
            else:
                messages.success(request, f"{stored.label} is uploaded. Choose it as the video of a recording "
                                          "page in the content admin.")
                return redirect("training_sessions:recording_upload")
        else:
            status = 400
    return _render(request, "sessions/recording_upload.html", {"form": form}, status=status)


