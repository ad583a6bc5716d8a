"""The coaches: who holds the coach role, and giving or taking it away (trainers and state staff).

The rule and its audit are `hub.membership.services.coach_role_set`; this page only calls it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hub.errors import HubError
from hub.membership.selectors import coaches, may_give_coach_role
from hub.membership.services import coach_role_set


class CoachGiveForm(forms.Form):
    login = forms.CharField(max_length=254, label=gettext_lazy("User name or email"),
                            help_text=gettext_lazy("Of someone who already has an account on the Hub."))


def _allowed_or_403(request):
    if not may_give_coach_role(request.user):
        raise PermissionDenied(_("Only Hub trainers and state staff give or take away the coach role."))


@login_required
def coach_list(request):
    _allowed_or_403(request)
    form = CoachGiveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person = coach_role_set(login=form.cleaned_data["login"], coach=True, by=request.user)
            except HubError as error:
                form.add_error("login", str(error))
            else:
                messages.success(request, _("%(name)s is now a coach.") % {"name": person.full_name})
                return redirect("courses:coaches")
        status = 400
    return render(request, "courses/coaches.html", {"form": form, "coaches": list(coaches())}, status=status)


@login_required
@require_POST
def coach_take(request, person_id: int):
    _allowed_or_403(request)
    person = coaches().filter(pk=person_id).first()
    if person is None:
        messages.error(request, _("That person is not a coach."))
        return redirect("courses:coaches")
    try:
        coach_role_set(login=person.user.username, coach=False, by=request.user)
    except HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is no longer a coach.") % {"name": person.full_name})
    return redirect("courses:coaches")
