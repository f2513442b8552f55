"""The bell's socket: pushes "new notification" to a user's open pages."""

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from accounts.sessions import signs_in

from . import events

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
# The client reconnects after this one; a signed-out session then gets 4401.
CLOSE_RECHECK = 4001


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Server-to-client only; whatever a client sends is ignored."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = events.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        session = self.scope.get("session")
        self.recheck = asyncio.ensure_future(
            self._recheck(getattr(session, "session_key", None), user.pk)
        )

    async def _recheck(self, session_key, user_id):
        """Backstop (WS-04): every ``LIVE_RECHECK_SECONDS`` the login session
        must still sign the user in — a password change, a reset, a logout
        or a disabled account close the bell even when no signal reached
        this process."""
        interval = settings.LIVE_RECHECK_SECONDS
        if interval <= 0:
            return
        while True:
            await asyncio.sleep(interval)
            try:
                still = await database_sync_to_async(signs_in)(session_key, user_id)
            except Exception:
                log.warning("notifications: session re-check failed", exc_info=True)
                continue
            if not still:
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return

    async def disconnect(self, code):
        recheck = getattr(self, "recheck", None)
        if recheck is not None and recheck is not asyncio.current_task():
            recheck.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recheck
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        return

    async def notification_new(self, event):
        await self.send_json(
            {
                "type": events.NOTIFICATION_NEW,
                "unread": event["unread"],
                "title": event["title"],
                "url": event["url"],
            }
        )

    async def notification_session_ended(self, event):
        await self.close(code=CLOSE_RECHECK)
