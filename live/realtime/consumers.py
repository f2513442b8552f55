"""
The live room socket: translate frames to ``live.rooms.handlers`` calls and
back.

No ORM and no rules here. Room broadcasts do not go through the channel
layer (see ``live.realtime.hub``), so this consumer has none:
``channel_layer_alias`` names a layer that is not configured on purpose.
"""

import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError

from live import protocol as p
from live.audio import handlers as audio
from live.rooms import handlers as room
from live.rooms import services

from .hub import get_hub
from .sockets import LocalSocket
from .wire import dumps

log = logging.getLogger(__name__)


class ClassroomConsumer(AsyncWebsocketConsumer):
    """``/ws/live/<session_id>/``: one socket of one user in one room."""

    channel_layer_alias = "live-rooms-use-the-hub"
    member: room.Member | None = None

    async def connect(self):
        await self.accept()
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        user, ticket = self.scope.get("user"), self.scope.get("live_ticket")
        if (ticket is not None and ticket.session_id != session_id) or (
            user is None and ticket is None
        ):
            await self.close(code=p.CLOSE_UNAUTHENTICATED)
            return
        try:
            admitted = await database_sync_to_async(services.admit)(
                session_id=session_id,
                user=user,
                ticket=ticket,
                session_key=self.scope.get("live_session_key"),
                memo=get_hub().memo(session_id),
            )
        except services.JoinRefused as refused:
            await self.close(code=refused.code)
            return
        grant = admitted.grant
        sock = LocalSocket(
            self.base_send,
            self.cut_off,
            user_id=grant.user_id,
            role=grant.role,
            room=grant.session_id,
            session_key=admitted.session_key,
            # The teacher is not sent back their own voice; a data-saver
            # join starts silent. Either may switch with audio.listen.
            listening=grant.role != p.TEACHER and not _data_saver(self.scope),
        )
        try:
            self.member, state = await room.join(
                grant, sock, admitted.user, admitted.quiz
            )
        except Exception:
            # Redis unreachable (RL-01): the client backs off and retries.
            log.warning("live: join failed", exc_info=True)
            await self.close(code=p.CLOSE_SERVER_ERROR)
            return
        await self.send(text_data=dumps(state))
        sock.release()

    async def dispatch(self, message):
        # Channels 4.2+ first hops to a thread to close stale database
        # connections before every message (each frame of each socket: a
        # quiz burst, the teacher's audio). Every database call here goes
        # through database_sync_to_async, which does that in its own hop.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def cut_off(self, code: int) -> None:
        await self.close(code=code)

    async def disconnect(self, code):
        if self.member is not None:
            member, self.member = self.member, None
            await room.leave(member)

    async def websocket_receive(self, message):
        text, data = message.get("text"), message.get("bytes")
        if p.frame_too_big(text, data):
            await self.close(code=p.CLOSE_TOO_BIG)
            return
        if self.member is None or self.member.sock.closed:
            return
        if data is not None:
            reply = await self.handle_bytes(data)
        else:
            reply = await self.handle_text(text)
        if reply is not None:
            await self.send(text_data=dumps(reply))

    async def handle_bytes(self, data: bytes) -> dict | None:
        """A binary frame: an audio bundle (section 6)."""
        try:
            await audio.bundle(self.member, data)
        except p.ClientError as error:
            return error.frame()
        except Exception:
            log.exception("live: audio bundle failed")
            return p.ClientError(p.ErrorCode.BAD_REQUEST, audio.BUNDLE_REF).frame()
        return None

    async def handle_text(self, text: str | None) -> dict | None:
        request = None
        try:
            request = p.parse(text)
            return await room.handle(self.member, request)
        except p.ClientError as error:
            return error.frame()
        except PermissionDenied:
            code = p.ErrorCode.FORBIDDEN
        except (OperationalError, InterfaceError):
            # PostgreSQL is away (RL-07): the action is refused, not dropped;
            # the socket stays open and the client may send it again.
            log.warning("live: database unavailable for a frame")
            code = p.ErrorCode.UNAVAILABLE
        except ValidationError:
            code = p.ErrorCode.BAD_REQUEST
        except Exception:
            log.exception("live: frame failed")
            code = p.ErrorCode.BAD_REQUEST
        return p.ClientError(code, request and request.ref).frame()


def _data_saver(scope) -> bool:
    """``?data_saver=1`` on the socket's URL: join with audio off."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("data_saver", [""])[0] in ("1", "true")
