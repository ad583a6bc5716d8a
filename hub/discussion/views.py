"""The discussion pages. They work without JavaScript; static/discussion/discussion.js adds live updates.

Every write goes through the same services as the websocket (`hub.discussion.services`).
"""

import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hub.discussion import services as discussion
from hub.discussion.errors import DiscussionError, MessageNotFound, NoAccess, RoomNotFound
from hub.discussion.formatting import message_html
from hub.discussion.selectors import access_for, room_messages, rooms_readable
from hub.queries import QueryForm, QueryInt, query_read

ROOM_PAGE = 30


class OlderQuery(QueryForm):
    """A room page's one parameter: show the messages older than this message id."""

    before = QueryInt(label="Older than message")


def _room_or_refuse(request, slug):
    access = access_for(request.user)
    try:
        return discussion.room_for_reader(slug=slug, user=request.user, access=access), access
    except RoomNotFound:
        raise Http404("No such room.") from None
    except NoAccess as exc:
        raise PermissionDenied(str(exc)) from None


def _message_in_room(room, message_id):
    try:
        message = discussion.message_get(message_id=message_id)
    except MessageNotFound:
        raise Http404("No such message.") from None
    if message.room_id != room.pk:
        raise Http404("No such message.")
    return message


@login_required
def room_list(request):
    """The rooms the person may read, with unread counts (the standing rooms are made on first visit)."""
    discussion.rooms_ensure()
    rooms = rooms_readable(user=request.user)
    return render(request, "discussion/room_list.html", {"rooms": rooms})


@login_required
def room_detail(request, slug):
    """The latest messages (or older ones with ?before=<id>) and a plain form to post."""
    room, access = _room_or_refuse(request, slug)
    error, body, status = "", "", 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            message, _ = discussion.message_post(room=room, author=request.user, body=body,
                                                 client_id=request.POST.get("client_id", ""), access=access)
        except DiscussionError as exc:
            error, status = str(exc), 400
        else:
            return redirect(f"{reverse('discussion:room', kwargs={'slug': room.slug})}#m{message.pk}")
    before = query_read(OlderQuery, request.GET)["before"]  # a message id, or a 400 naming what was wrong
    page, more = room_messages(room=room, before=before, limit=ROOM_PAGE)
    latest_id = page[-1].pk if page and before is None else 0
    if latest_id and not error:  # a refused post changes nothing, read markers included
        discussion.room_mark_read(room=room, user=request.user, up_to=latest_id, access=access)
    moderator = access.can_moderate(room)
    now = timezone.now()
    entries = [
        {
            "m": m,
            "html": message_html(m.body) if not (m.deleted_at or m.hidden_at) else "",
            "mine": m.author_id == request.user.pk,
            "can_edit": m.author_id == request.user.pk and not (m.deleted_at or m.hidden_at)
            and now - m.created_at <= discussion.EDIT_WINDOW,
            "can_hide": moderator and not (m.deleted_at or m.hidden_at),
        }
        for m in page
    ]
    context = {
        "room": room, "entries": entries, "more": more, "older_than": page[0].pk if page else None,
        "paged": before is not None, "latest_id": latest_id, "client_id": uuid.uuid4().hex,
        "error": error, "body": body, "moderator": moderator, "max_body": discussion.MAX_BODY,
    }
    return render(request, "discussion/room.html", context, status=status)


@login_required
def message_edit(request, slug, message_id):
    room, access = _room_or_refuse(request, slug)
    message = _message_in_room(room, message_id)
    error, body = "", message.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            discussion.message_edit(message=message, by=request.user, body=body, access=access)
        except DiscussionError as exc:
            error = str(exc)
        else:
            flash.success(request, "Your message is updated.")
            return redirect(f"{reverse('discussion:room', kwargs={'slug': room.slug})}#m{message.pk}")
    return render(request, "discussion/message_edit.html",
                  {"room": room, "message": message, "body": body, "error": error, "max_body": discussion.MAX_BODY},
                  status=400 if error else 200)


@login_required
@require_POST
def message_delete(request, slug, message_id):
    room, access = _room_or_refuse(request, slug)
    message = _message_in_room(room, message_id)
    try:
        discussion.message_delete(message=message, by=request.user, access=access)
    except DiscussionError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, "Your message is deleted.")
    return redirect("discussion:room", slug=room.slug)


@login_required
@require_POST
def message_hide(request, slug, message_id):
    room, access = _room_or_refuse(request, slug)
    message = _message_in_room(room, message_id)
    try:
        discussion.message_hide(message=message, by=request.user, reason=request.POST.get("reason", ""),
                                access=access)
    except DiscussionError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, "The message is hidden.")
    return redirect(f"{reverse('discussion:room', kwargs={'slug': room.slug})}#m{message.pk}")
