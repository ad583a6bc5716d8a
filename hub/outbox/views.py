"""The outbox page: the emails the Hub sent (or is trying to send), for the staff who may see them,
with "send again" for a message that used every try."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hub.outbox import errors, services
from hub.outbox.models import State
from hub.outbox.selectors import may_read_outbox, messages_for, state_counts
from hub.queries import QueryChoice, QueryForm, QueryPage, query_read

PAGE_SIZE = 50


class OutboxQuery(QueryForm):
    state = QueryChoice(label=gettext_lazy("State"), choices=[("", gettext_lazy("Any state")), *State.choices])
    page = QueryPage()


def _reader_or_403(request) -> None:
    if not may_read_outbox(request.user):
        raise PermissionDenied(_("Only trainers, coordinators and state staff see the outbox."))


@login_required
def message_list(request):
    _reader_or_403(request)
    query = query_read(OutboxQuery, request.GET)
    visible = messages_for(request.user)
    page = Paginator(messages_for(request.user, state=query["state"]), PAGE_SIZE).get_page(query["page"] or 1)
    counts = state_counts(visible)
    return render(request, "outbox/message_list.html", {
        "page": page, "state": query["state"], "form": OutboxQuery(request.GET),
        "counts": [(value, label, counts[value]) for value, label in State.choices],
        "query": f"state={query['state']}" if query["state"] else "",
    })


@login_required
@require_POST
def message_send_again(request, pk: int):
    _reader_or_403(request)
    message = messages_for(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404()
    try:
        services.message_send_again(message=message, by=request.user)
    except errors.OutboxError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is queued again: the worker will send it shortly."))
    return redirect(f"{reverse('outbox:list')}?state={State.FAILED}#message-{pk}")
