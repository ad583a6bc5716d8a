"""The live case board websocket: `/ws/board/<district_id>/`, one board per district.

The consumer only parses frames and calls `coordinators.services` (which enforce every rule, the
assignment gate included); changes come back to every socket of the district through the group
`board.district.<id>` after their transaction commits. It does not join `user.<id>`.

Connecting
    Anonymous: closed with 4401. Signed in but not a visitor or coordinator whose scope holds the
    district: closed with 4403. Otherwise accepted, and the first frame is

    {"type": "snapshot", "district": 3, "cases": [CASE, ...],
     "me": {"person": 12, "can_assign": false, "is_visitor": true, "can_volunteer": false,
            "why_not": "You can volunteer once you hold a current LEAP 101 certificate: ..."}}

    CASE = {"case": 41, "grade_band": "Elementary (K–5)" | null, "school": "Parkville ..." | null,
            "note": "...", "opened_at": "2025-...", "volunteers": [{"visitor": {"id": 12, "name": "..."},
            "partner": {"id": 13, "name": "..."} | null}, ...]}
    `grade_band` and `school` are null when the coordinator chose not to share them; the student's name
    and student id are never sent.

Client → server (any frame may carry "ref": a string of at most 64 characters, echoed in the answer)
    {"type": "volunteer", "case": 41, "partner": 13}   partner optional (a person id)
    {"type": "withdraw", "case": 41}
    {"type": "assign", "case": 41, "visitors": [12, 13], "reassign": false}   coordinators only; the
        same `case_assign` gate as the case page, with the same refusal text
    Each is answered by {"type": "ack", "ref": ..., "action": "volunteer"|"withdraw"|"assign", "case": 41}
    or by {"type": "error", "code": ..., "message": "<the refusal, for a person>", "ref": ...}; the
    socket stays open. Codes: bad_json, bad_frame, unknown_type, not_found (no such case on this board),
    not_certified, not_allowed, refused (the gate's refusal), invalid, session_expired (then closed 4401),
    server_error.

Server → client (pushed to every socket of the district)
    {"type": "case.opened", "case": CASE}        a coordinator put a case on the board (or changed it)
    {"type": "case.volunteered", "case": CASE}   the case's volunteers changed (volunteer or withdraw)
    {"type": "case.closed", "case": 41}          taken off the board
    {"type": "case.assigned", "case": 41}        visitors assigned: the case leaves the board
"""

import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from coordinators import selectors, services
from coordinators.errors import AssignmentRefused, BoardError, CoordinatorsError, NotAllowed, NotCertified
from coordinators.models import StudentCase
from hub.consumers import session_user, signed_in_user
from hub.models import District, Person
from hub.selectors import person_for

logger = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403
MAX_FRAME_CHARS = 8 * 1024


class FrameError(Exception):
    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def _id(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise FrameError("bad_frame", f"{what} must be a whole number.")
    return value


def _error_code(exc: CoordinatorsError) -> str:
    if isinstance(exc, AssignmentRefused):
        return "refused"
    if isinstance(exc, NotCertified):
        return "not_certified"
    if isinstance(exc, NotAllowed):
        return "not_allowed"
    if isinstance(exc, BoardError):
        return "invalid"
    return "invalid"


class CaseBoardConsumer(AsyncJsonWebsocketConsumer):
    district_id: int | None = None
    group: str | None = None

    async def connect(self):
        user = await signed_in_user(self.scope)
        if user is None:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        district_id = self.scope["url_route"]["kwargs"]["district_id"]
        if not await database_sync_to_async(selectors.may_see_board)(user, district_id):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = user.pk
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.district_id = district_id
        self.group = selectors.board_group(district_id)
        # Join before reading the snapshot, so that no change falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

        def snapshot():
            district = District.objects.get(pk=district_id)
            services.audit_record(actor=user, action="board.view", object_type="district",
                                  object_id=district_id, district=district_id, detail="case board (socket)")
            return {"type": "snapshot", "district": district_id,
                    "cases": selectors.board_cases(user=user, district_id=district_id),
                    "me": selectors.viewer_for(user=user, district=district).as_frame()}

        await self.send_json(await database_sync_to_async(snapshot)())

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def error(self, code: str, message: str, ref=None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if ref is not None:
            frame["ref"] = ref
        await self.send_json(frame)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.error("bad_frame", "Send JSON text frames.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.error("bad_frame", f"A frame is at most {MAX_FRAME_CHARS:,} characters.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.error("bad_json", "That frame is not JSON.")
            return
        if not isinstance(frame, dict):
            await self.error("bad_frame", "A frame is a JSON object with a type.")
            return
        ref = frame.get("ref") if isinstance(frame.get("ref"), str) and len(frame["ref"]) <= 64 else None
        kind = frame.get("type")
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.error("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.", ref)
            return
        user = await database_sync_to_async(session_user)(self.session_key)
        if user is None or user.pk != self.user_id:
            await self.error("session_expired", "Your sign-in has ended: sign in again.", ref)
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        try:
            case_id = await database_sync_to_async(handler)(self, user, frame)
        except FrameError as exc:
            await self.error(exc.code, str(exc), ref)
        except CoordinatorsError as exc:
            await self.error(_error_code(exc), str(exc), ref)
        except Exception:
            logger.exception("case board frame %s failed", kind)
            await self.error("server_error", "Something went wrong on our side; try again.", ref)
        else:
            await self.send_json({"type": "ack", "ref": ref, "action": kind, "case": case_id})

    # --- handlers: run in the database thread, call one service each --------------------------------

    def _case(self, frame) -> StudentCase:
        case = StudentCase.objects.filter(pk=_id(frame.get("case"), "case"), district_id=self.district_id).first()
        if case is None:
            raise FrameError("not_found", "There is no such case on this board.")
        return case

    def _person(self, user) -> Person:
        person = person_for(user)
        if person is None:
            raise NotAllowed("Only home visitors volunteer for cases.")
        return person

    def on_volunteer(self, user, frame) -> int:
        case = self._case(frame)
        partner = None
        if frame.get("partner") is not None:
            partner = Person.objects.select_related("user").filter(pk=_id(frame["partner"], "partner")).first()
            if partner is None:
                raise FrameError("not_found", "The person you named as your pair does not exist.")
        services.case_volunteer(case=case, visitor=self._person(user), partner=partner)
        return case.pk

    def on_withdraw(self, user, frame) -> int:
        case = self._case(frame)
        services.volunteer_withdraw(case=case, visitor=self._person(user))
        return case.pk

    def on_assign(self, user, frame) -> int:
        if not selectors.may_manage_cases(user):
            raise NotAllowed("Only district coordinators assign visitors.")
        case = self._case(frame)
        ids = frame.get("visitors")
        if not isinstance(ids, list) or not ids or len(ids) > 4:
            raise FrameError("bad_frame", "visitors is a list of one or two person ids.")
        ids = [_id(i, "Each visitor") for i in ids]
        people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user")}
        missing = [i for i in ids if i not in people]
        if missing:
            raise FrameError("not_found", "One of the chosen visitors does not exist.")
        services.board_case_assign(case=case, visitors=[people[i] for i in ids], by=user,
                                   reassign=frame.get("reassign") is True)
        return case.pk

    handlers = {"volunteer": on_volunteer, "withdraw": on_withdraw, "assign": on_assign}

    # --- events from the channel layer -------------------------------------------------------------------

    async def board_event(self, event):
        await self.send_json(event["frame"])
