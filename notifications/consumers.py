"""The bell's socket: pushes "new notification" to a user's open pages."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import events

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

    async def disconnect(self, code):
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
