"""Course and module pages, answers, completion, My training, certificates and their verification.

Views only call `courses.services` (writes) and `courses.selectors` (reads).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from courses import errors, services
from courses.badge_forms import CredentialForm
from courses.models import Certificate, CoursePage, ModulePage
from courses.selectors import (
    certification_state_of,
    course_progress,
    courses_for_person,
    may_manage_certificates,
    module_view,
    page_is_open,
    training_audience,
)
from hub.idempotency import new_token, posted_token
from hub.queries import SearchQuery, query_read
from hub.selectors import person_for
from hub.text import Folded, normalise_search


def _person_or_403(request):
    person = person_for(request.user)
    if person is None:
        raise PermissionDenied("Your account has no Hub profile yet. Ask the Hub team to set one up.")
    return person


# -- Wagtail page serving (handed to the page models by CoursesConfig.ready) ---------------------------

def course_index_rows(request) -> list:
    """The course index page's rows: every published course, with the signed-in person's progress."""
    return courses_for_person(person=person_for(request.user))


def course_serve(request, course: CoursePage):
    person = person_for(request.user)
    audience = training_audience(person=person)
    if not page_is_open(person=person, page=course, audience=audience):
        raise Http404("No such course.")  # limited to a district or region: not revealed to others
    progress = course_progress(person=person, course=course, audience=audience)
    return render(request, course.get_template(request), {"page": course, "self": course, "progress": progress})


def _rendered_body(module: ModulePage) -> list[tuple[str, str, str | None]]:
    """(block type, block id, HTML or None for personal blocks), cached per published revision.

    Text, video and scenario blocks are the same for everyone, so they are rendered once per revision;
    knowledge checks and reflections depend on the reader and are rendered per request.
    """
    key = f"courses:module-body:{module.pk}:{module.live_revision_id}"
    body = cache.get(key)
    if body is None:
        body = [
            (block.block_type, block.id,
             None if block.block_type in module.body.stream_block.PERSONAL else block.render())
            for block in module.body
        ]
        cache.set(key, body, 60 * 60 * 24)
    return body


def module_serve(request, module: ModulePage):
    if not request.user.is_authenticated:
        if not page_is_open(person=None, page=module):
            raise Http404("No such module.")  # signed out, a limited module is not revealed either
        return redirect_to_login(request.get_full_path())
    person = _person_or_403(request)
    view = module_view(person=person, module=module)
    if not view.is_open:
        raise Http404("No such module.")  # limited to a district or region: not revealed to others
    if view.enrollment is None:
        messages.info(request, f"Enrol in {view.course.title} to open its modules.")
        return redirect(view.course.url)
    if not view.unlocked:
        messages.warning(request, "That module unlocks once you have finished the ones before it.")
        return redirect(view.course.url)
    if view.enrollment.last_module_id != module.pk:
        services.module_visit(person=person, module=module, course=view.course)
    return render(request, module.get_template(request), {
        "page": module, "self": module, "view": view, "body": _rendered_body(module), "blocks": view.personal_blocks,
        "reflection_limit": services.Reflection.MAX_LENGTH, "form_token": new_token(),
    })


# -- actions ------------------------------------------------------------------------------------

def _module_url(module_id) -> str:
    module = ModulePage.objects.filter(pk=module_id).only("url_path").first()
    return module.url if module else "/"


def _refuse(request, error: errors.CourseError):
    if isinstance(error, errors.NotAvailable):
        raise Http404(str(error))
    if isinstance(error, errors.ModuleLocked | errors.NotEnrolled):
        raise PermissionDenied(str(error))
    return None


@login_required
@require_POST
def course_enroll(request, course_id: int):
    person = _person_or_403(request)
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrollment_start(person=person, course=course)
    except errors.CourseError as error:
        _refuse(request, error)
        raise
    progress = course_progress(person=person, course=course)
    target = progress.next_module
    return redirect(target.url if target else course.url)


@login_required
@require_POST
def check_submit(request, module_id: int, check_id: str):
    person = _person_or_403(request)
    answers = {}
    for key in request.POST:
        if key.startswith("q"):
            answers[key[1:]] = request.POST.getlist(key)
    try:
        result = services.knowledge_check_submit(person=person, module_id=module_id, check_id=check_id,
                                                 answers=answers, form_token=posted_token(request.POST))
    except errors.InvalidAnswers as error:
        messages.error(request, str(error))
        return redirect(f"{_module_url(module_id)}#check-{check_id}")
    except errors.CourseError as error:
        _refuse(request, error)
        raise
    if result.passed:
        messages.success(request, f"Passed with {result.score}%. You can complete the module now.")
    # Not passed: the check itself says which questions to look at again (one place, without the answers).
    return redirect(f"{_module_url(module_id)}#check-{check_id}")


@login_required
@require_POST
def reflection_submit(request, module_id: int, block_id: str):
    person = _person_or_403(request)
    try:
        services.reflection_save(person=person, module_id=module_id, block_id=block_id,
                                 text=request.POST.get("text", ""))
    except errors.ReflectionTooLong as error:
        return render(request, "courses/refused.html", {"message": str(error), "back": _module_url(module_id)},
                      status=400)
    except errors.CourseError as error:
        _refuse(request, error)
        raise
    messages.success(request, "Reflection saved. Only you can read it.")
    return redirect(f"{_module_url(module_id)}#reflection-{block_id}")


@login_required
@require_POST
def module_complete(request, module_id: int):
    person = _person_or_403(request)
    try:
        completion = services.module_complete(person=person, module_id=module_id)
    except errors.ChecksNotPassed as error:
        messages.error(request, str(error))
        return redirect(_module_url(module_id))
    except errors.CourseError as error:
        _refuse(request, error)
        raise
    course = completion.course
    progress = course_progress(person=person, course=course)
    if progress.status and progress.status.is_current and progress.percent == 100:
        messages.success(request, f"Module complete. You hold a {course.code} certificate.")
        return redirect(course.url)
    messages.success(request, f"Module complete: {progress.required_done} of {progress.required_total} done.")
    target = progress.next_module
    return redirect(target.url if target else course.url)


# -- my training and certificates -------------------------------------------------------------

@login_required
def my_training(request):
    person = _person_or_403(request)
    return render(request, "courses/my_training.html", {"rows": courses_for_person(person=person, plans=True)})


def certificate_verify(request, code: str):
    """Public: name, course, issued, valid until, or expired / revoked. Nothing else."""
    certificate = (Certificate.objects.select_related("person__user", "course")
                   .filter(code=code[:40]).first())
    if certificate is None:
        raise Http404("No certificate has that code.")
    return render(request, "courses/certificate_verify.html",
                  {"certificate": certificate, "state": certification_state_of(certificate), "form": CredentialForm()})


@login_required
def certificate_pdf(request, code: str):
    certificate = get_object_or_404(Certificate.objects.select_related("person__user", "course"), code=code[:40])
    is_owner = certificate.person.user_id == request.user.pk
    if not (is_owner or may_manage_certificates(request.user)):
        raise Http404("No certificate has that code.")
    from courses.pdf import certificate_pdf_bytes

    verify_url = request.build_absolute_uri(reverse("courses:certificate_verify", args=[certificate.code]))
    response = HttpResponse(certificate_pdf_bytes(certificate, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.course.code}-certificate.pdf"'
    return response


def _staff_or_403(request):
    if not may_manage_certificates(request.user):
        raise PermissionDenied("Only trainers and state staff manage certificates.")


@login_required
def certificate_list(request):
    _staff_or_403(request)
    query = query_read(SearchQuery, request.GET)["q"]  # NUL, controls, over 100 characters: a 400
    certificates = Certificate.objects.select_related("person__user", "course").order_by("-issued_at")
    words = normalise_search(query).split()[:4]
    if words:  # each word in the first or last name, whatever the case and Unicode form (hub.text)
        from django.db.models import Q

        certificates = certificates.alias(first_folded=Folded("person__user__first_name"),
                                          last_folded=Folded("person__user__last_name"))
        for word in words:
            certificates = certificates.filter(Q(first_folded__contains=word) | Q(last_folded__contains=word))
    rows = [(c, certification_state_of(c)) for c in certificates[:200]]
    return render(request, "courses/certificate_list.html", {"rows": rows, "query": query})


def _certificate_action(request, code: str, action, done: str):
    """POST of the certificates page: one service call, a message, back to the list."""
    _staff_or_403(request)
    certificate = get_object_or_404(Certificate.objects.select_related("person__user", "course"), code=code[:40])
    try:
        action(certificate=certificate, reason=request.POST.get("reason", ""))
    except errors.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": certificate.person.full_name})
    return redirect("courses:certificate_list")


@login_required
@require_POST
def certificate_revoke(request, code: str):
    return _certificate_action(request, code, lambda certificate, reason: services.certificate_revoke(
        certificate=certificate, by=request.user, reason=reason), "Revoked the certificate of %(name)s.")


@login_required
@require_POST
def certificate_reinstate(request, code: str):
    return _certificate_action(request, code, lambda certificate, reason: services.certificate_reinstate(
        certificate=certificate, by=request.user, reason=reason),
        "Reinstated the certificate of %(name)s: it counts again until its expiry date.")


@login_required
@require_POST
def certificate_renewal_open(request, code: str):
    return _certificate_action(request, code, lambda certificate, reason: services.renewal_open(
        person=certificate.person, course=certificate.course, by=request.user, reason=reason),
        "Opened a renewal for %(name)s: they take the refresher modules again, and a new certificate follows.")


@login_required
@require_POST
def renewal_start(request, course_id: int):
    """A visitor starts renewing their own expired (or nearly expired) certificate."""
    person = _person_or_403(request)
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.renewal_start(person=person, course=course)
    except errors.CertificateError as error:
        messages.error(request, str(error))
        return redirect("courses:my_training")
    messages.success(request, f"Your {course.code} renewal has started: take the refresher modules again.")
    progress = course_progress(person=person, course=course)
    return redirect(progress.next_module.url if progress.next_module else course.url)
