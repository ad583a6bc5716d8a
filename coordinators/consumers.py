"""The live case board websocket: `/ws/board/<district_id>/`, one board per district.

What every Hub socket shares (sign-in on connect and on every frame, frame parsing, the shared write
limit, following the session) is `hub.sockets.HubSocketConsumer`. This consumer only reads its frames'
fields and calls `coordinators.services` (which enforce every rule, the assignment gate included);
changes come back to every socket of the district through the group `board.district.<id>` after their
transaction commits. Like every Hub socket it is in `user.<id>`: signing out closes it (4401), and when
the person's district, role or certificate changes it re-checks (closing with 4403, or sending a new
`me`).

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
    socket stays open. Codes: bad_json, bad_frame, too_large, unknown_type, not_found (no such case on
    this board), not_certified, not_allowed, refused (the gate's refusal), invalid, rate_limited,
    session_expired and signed_out (then closed 4401), server_error.

Server → client (pushed to every socket of the district)
    {"type": "case.opened", "case": CASE}        a coordinator put a case on the board (or changed it)
    {"type": "case.volunteered", "case": CASE}   the case's volunteers changed (volunteer or withdraw)
    {"type": "case.closed", "case": 41}          taken off the board
    {"type": "case.assigned", "case": 41}        visitors assigned: the case leaves the board

Server → client (to this person only)
    {"type": "me", "me": {...}}                  what they may do changed (as in the snapshot)
"""

from channels.db import database_sync_to_async

from coordinators import selectors, services
from hub.models import District
from hub.sockets import MAX_FRAME_CHARS, FrameError, HubSocketConsumer, frame_id

WRITE_TYPES = frozenset({"volunteer", "withdraw", "assign"})


class CaseBoardConsumer(HubSocketConsumer):
    write_types = WRITE_TYPES
    max_frame_chars = min(MAX_FRAME_CHARS, 8 * 1024)
    district_id: int | None = None
    group: str | None = None

    async def authorise(self, user) -> bool:
        self.district_id = self.scope["url_route"]["kwargs"]["district_id"]
        return await database_sync_to_async(selectors.may_see_board)(user, self.district_id)

    async def connected(self, user):
        self.group = selectors.board_group(self.district_id)
        # Join before reading the snapshot, so that no change falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        district_id = self.district_id

        def snapshot():
            district = District.objects.get(pk=district_id)
            services.audit_record(actor=user, action="board.view", object_type="district",
                                  object_id=district_id, district=district_id, detail="case board (socket)")
            return {"type": "snapshot", "district": district_id,
                    "cases": selectors.board_cases(user=user, district_id=district_id),
                    "me": selectors.viewer_for(user=user, district=district).as_frame()}

        await self.send_json(await database_sync_to_async(snapshot)())

    async def disconnected(self):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def ack_frame(self, kind, ref, result) -> dict:
        return {"type": "ack", "ref": ref, "action": kind, "case": result}

    async def recheck(self):
        """The person's district, role or certificate changed: a board they may no longer see closes (4403);
        otherwise they get their new `me` (whether they may volunteer now)."""
        from hub.sockets import CLOSE_FORBIDDEN, session_user

        district_id = self.district_id

        def work():
            user = session_user(self.session_key)
            if not selectors.may_see_board(user, district_id):
                return None
            district = District.objects.get(pk=district_id)
            return selectors.viewer_for(user=user, district=district).as_frame()

        me = await database_sync_to_async(work)()
        if me is None:
            await self.error("not_allowed", "You can no longer see this board.")
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json({"type": "me", "me": me})

    # --- handlers: run in the database thread; each reads its frame's fields and calls services.board_act,
    # the one entry point the board's page uses too (ids are refused there, the same way for both) ---------

    def _act(self, user, frame, action: str, **fields) -> int:
        case, _ = services.board_act(district_id=self.district_id, by=user, action=action,
                                     case_id=frame_id(frame.get("case"), "case"), **fields)
        return case.pk

    def on_volunteer(self, user, frame) -> int:
        partner = frame.get("partner")
        return self._act(user, frame, "volunteer",
                         partner_id=frame_id(partner, "partner") if partner is not None else None)

    def on_withdraw(self, user, frame) -> int:
        return self._act(user, frame, "withdraw")

    def on_assign(self, user, frame) -> int:
        ids = frame.get("visitors")
        if not isinstance(ids, list) or not ids or len(ids) > 4:
            raise FrameError("bad_frame", "visitors is a list of one or two person ids.")
        return self._act(user, frame, "assign", visitor_ids=[frame_id(i, "Each visitor") for i in ids],
                         reassign=frame.get("reassign") is True)

    handlers = {"volunteer": on_volunteer, "withdraw": on_withdraw, "assign": on_assign}

    # --- events from the channel layer -------------------------------------------------------------------

    async def board_event(self, event):
        await self.send_json(event["frame"])
