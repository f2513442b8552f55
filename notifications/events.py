"""
The only module of ``notifications`` that touches the channel layer: it
pushes "you have a new notification" to each recipient's open pages.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

NOTIFICATION_NEW = "notification.new"
SESSION_ENDED = "notification.session_ended"


def user_group(user_id: int) -> str:
    return f"notifications.user.{int(user_id)}"


def publish_new(messages: list[tuple[int, dict]]) -> None:
    """
    Tell the bell on each user's open pages; the rows are already saved.

    ``messages`` holds ``(user_id, {"unread", "title", "url"})``. All are sent
    from one event loop: one ``async_to_sync`` per message costs a thread hop
    each, which a class of 40 with 80 parents would feel.
    """
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all():
        for user_id, payload in messages:
            await layer.group_send(
                user_group(user_id), {"type": NOTIFICATION_NEW, **payload}
            )

    try:
        async_to_sync(send_all)()
    except Exception:
        # The live bell is a convenience: the notifications are stored and
        # the page shows them on the next load, so a broken layer must not
        # fail the action that caused them.
        logger.warning("Could not push notifications to bells", exc_info=True)


def publish_session_ended(user_id: int) -> None:
    """
    Ask the user's bell sockets to close: each reconnects, and only those
    whose browser session is still signed in get back in.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": SESSION_ENDED})
    except Exception:
        logger.warning("Could not close bell sockets of %s", user_id, exc_info=True)
