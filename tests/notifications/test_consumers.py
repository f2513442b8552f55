import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from notifications import services
from notifications.routing import websocket_urlpatterns
from tests.factories import ParentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("immediate_tasks"),
]

app = URLRouter(websocket_urlpatterns)


async def connect(user):
    communicator = WebsocketCommunicator(app, "/ws/notifications/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_socket_is_rejected():
    communicator, connected, code = await connect(AnonymousUser())
    assert not connected
    assert code == 4401


async def test_new_notification_reaches_only_the_recipients_socket():
    parent, other = await database_sync_to_async(ParentFactory)(), None
    other = await database_sync_to_async(ParentFactory)()
    mine, connected, _ = await connect(parent)
    assert connected
    theirs, _, _ = await connect(other)

    await database_sync_to_async(services.notify)(
        event=services.SUBMISSION_RETURNED,
        recipients=[parent],
        title="Bài Văn đã được trả",
        url="/homework/7/",
    )
    message = await mine.receive_json_from(timeout=2)
    assert message == {
        "type": "notification.new",
        "unread": 1,
        "title": "Bài Văn đã được trả",
        "url": "/homework/7/",
    }
    assert await theirs.receive_nothing(timeout=0.2)
    await mine.disconnect()
    await theirs.disconnect()


async def test_logout_closes_the_bell_sockets_for_a_recheck():
    from django.contrib.auth.signals import user_logged_out

    parent = await database_sync_to_async(ParentFactory)()
    communicator, connected, _ = await connect(parent)
    assert connected
    await database_sync_to_async(user_logged_out.send)(
        sender=type(parent), request=None, user=parent
    )
    assert await communicator.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": 4001,
    }
