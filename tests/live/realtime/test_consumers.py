"""The socket contract: connecting, refusals and one round-trip per type."""

import json

import pytest
from channels.db import database_sync_to_async

from live.models import ChatMessage, LiveSession, SessionStatus
from tests.live.conftest import (
    ORIGIN,
    Communicator,
    Room,
    app,
    close_code,
    connect,
    joined,
    next_of,
    ticket_for,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def make_room(**kwargs) -> Room:
    return await database_sync_to_async(Room)(**kwargs)


async def test_no_cookie_and_no_ticket_closes_4401():
    room = await make_room()
    comm, _ = await connect(session=room.session)
    assert await close_code(comm) == 4401


async def test_forged_ticket_closes_4401():
    room = await make_room()
    good = await database_sync_to_async(ticket_for)(room.students[0], room.session)
    comm, _ = await connect(session=room.session, ticket=good[:-3] + "abc")
    assert await close_code(comm) == 4401


async def test_expired_ticket_closes_4401(monkeypatch):
    room = await make_room()
    ticket = await database_sync_to_async(ticket_for)(
        room.students[0], room.session, 60
    )
    import time as time_module

    real = time_module.time
    monkeypatch.setattr("live.rooms.services.time.time", lambda: real() + 120)
    comm, _ = await connect(session=room.session, ticket=ticket)
    assert await close_code(comm) == 4401


async def test_ticket_for_another_session_closes_4401():
    room = await make_room()
    other = await make_room()
    ticket = await database_sync_to_async(ticket_for)(room.teacher, room.session)
    comm, _ = await connect(session=other.session, ticket=ticket)
    assert await close_code(comm) == 4401


async def test_student_of_another_class_closes_4403_and_gets_no_room_data():
    room = await make_room()
    comm, _ = await connect(room.outsider, room.session)
    out = await comm.receive_output(5)
    assert out == {"type": "websocket.close", "code": 4403}


async def test_unknown_session_closes_4404():
    room = await make_room()
    missing = LiveSession(pk=room.session.pk + 999)  # a ticket naming it
    ticket = await database_sync_to_async(ticket_for)(room.teacher, missing)
    comm, _ = await connect(session=missing, ticket=ticket)
    assert await close_code(comm) == 4404


async def test_anonymous_socket_to_an_unknown_session_closes_4401_first():
    room = await make_room()
    comm, _ = await connect(
        path=f"/ws/live/{room.session.pk + 999}/", session=room.session, ticket=""
    )
    assert await close_code(comm) == 4401


async def test_unknown_session_for_a_logged_in_user_closes_4404(client_login):
    room = await make_room()
    cookie = await client_login(room.teacher)
    comm = Communicator(
        app(), f"/ws/live/{room.session.pk + 999}/", headers=[ORIGIN, cookie]
    )
    await comm.connect()
    assert await close_code(comm) == 4404


async def test_cookie_login_joins_the_room(client_login):
    room = await make_room()
    cookie = await client_login(room.students[0])
    comm = Communicator(app(), f"/ws/live/{room.session.pk}/", headers=[ORIGIN, cookie])
    connected, _ = await comm.connect()
    assert connected
    state = await next_of(comm, "room.state")
    assert state["you"]["role"] == "student"
    await comm.disconnect()


async def test_students_wait_until_the_teacher_opens_4409():
    room = await make_room(status=SessionStatus.SCHEDULED)
    comm, _ = await connect(room.students[0], room.session)
    assert await close_code(comm) == 4409
    teacher, state = await joined(room.teacher, room.session)
    assert state["session"]["status"] == "scheduled"
    await teacher.disconnect()


async def test_ended_session_closes_4410():
    room = await make_room(status=SessionStatus.ENDED)
    comm, _ = await connect(room.teacher, room.session)
    assert await close_code(comm) == 4410


@pytest.mark.parametrize("origin", [b"https://evil.example", None])
async def test_foreign_or_missing_origin_is_refused_at_handshake(origin):
    room = await make_room()
    ticket = await database_sync_to_async(ticket_for)(room.teacher, room.session)
    headers = [(b"origin", origin)] if origin else []
    comm = Communicator(
        app(), f"/ws/live/{room.session.pk}/?ticket={ticket}", headers=headers
    )
    connected, _ = await comm.connect()
    assert not connected


async def test_snapshot_is_the_first_frame_with_the_contract_fields():
    room = await make_room()
    comm, connected = await connect(room.students[0], room.session)
    out = await comm.receive_output(5)
    state = json.loads(out["text"])
    assert state["type"] == "room.state"
    assert state["session"]["id"] == room.session.pk
    assert state["you"]["user_id"] == room.students[0].pk
    assert state["participants"]["count"] == 1
    assert state["chat"] == {"muted": False, "recent": []}
    assert state["slide"]["index"] == 0
    assert state["board"] == {"strokes": []}
    assert state["quiz"] is None
    assert "roster" not in state
    assert state["server_time"].endswith("Z")
    await comm.disconnect()


async def test_teacher_snapshot_has_the_roster():
    room = await make_room()
    comm, state = await joined(room.teacher, room.session)
    roster = {p["user_id"]: p for p in state["roster"]}
    assert roster[room.students[0].pk]["online"] is False
    assert roster[room.teacher.pk]["online"] is True
    assert roster[room.teacher.pk]["role"] == "teacher"
    await comm.disconnect()


async def test_school_admin_joins_as_observer():
    room = await make_room()
    comm, state = await joined(room.admin, room.session)
    assert state["you"]["role"] == "observer"
    assert "roster" in state
    await comm.disconnect()


async def test_ping_gets_pong_with_the_same_t():
    room = await make_room()
    comm, _ = await joined(room.students[0], room.session)
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": 42}))
    assert await next_of(comm, "pong") == {"type": "pong", "t": 42}
    await comm.disconnect()


async def test_chat_is_stored_then_broadcast_to_everyone():
    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await student.send_to(
        text_data=json.dumps(
            {"type": "chat.send", "text": "  <b>Chào cô</b>  ", "client_id": "c1"}
        )
    )
    for comm in (teacher, student):
        message = await next_of(comm, "chat.message")
        assert message["text"] == "<b>Chào cô</b>"
        assert message["client_id"] == "c1"
        assert message["author"]["user_id"] == room.students[0].pk
        assert message["seq"] >= 1
    stored = await database_sync_to_async(
        lambda: list(ChatMessage.objects.values_list("text", flat=True))
    )()
    assert stored == ["<b>Chào cô</b>"]
    late, state = await joined(room.students[1], room.session)
    assert [m["text"] for m in state["chat"]["recent"]] == ["<b>Chào cô</b>"]
    for comm in (teacher, student, late):
        await comm.disconnect()


async def test_recent_chat_survives_a_restart_that_lost_the_room_state():
    from live.realtime import store

    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    await teacher.send_to(
        text_data=json.dumps({"type": "chat.send", "text": "Mở sách trang 12"})
    )
    await next_of(teacher, "chat.message")
    await teacher.disconnect()
    store.reset_memory_store()  # the process restarted (or Redis was wiped)

    student, state = await joined(room.students[0], room.session)
    (message,) = state["chat"]["recent"]
    assert message["text"] == "Mở sách trang 12"
    assert message["author"] == {
        "user_id": room.teacher.pk,
        "name": room.teacher.get_full_name(),
        "role": "teacher",
    }
    await student.disconnect()


async def test_hand_raise_reaches_teachers_and_the_student_only():
    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    raiser, _ = await joined(room.students[0], room.session)
    other, _ = await joined(room.students[1], room.session)
    await raiser.send_to(text_data=json.dumps({"type": "hand.raise"}))
    for comm in (teacher, raiser):
        frame = await next_of(comm, "hand.changed")
        assert frame["user_id"] == room.students[0].pk
        assert frame["raised"] is True
    await other.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(other, "pong")  # no hand.changed arrived before it
    _, state = await joined(room.teacher, room.session)
    assert {p["user_id"] for p in state["roster"] if p["hand_raised"]} == {
        room.students[0].pk
    }
    for comm in (teacher, raiser, other, _):
        await comm.disconnect()


async def test_teacher_slide_board_and_mute_are_broadcast_and_kept():
    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    stroke = {"points": [[0, 0], [0.5, 1]], "color": "#FF0000", "width": 3}
    for frame in (
        {"type": "slide.goto", "index": 3},
        {"type": "board.stroke", "stroke": stroke},
        {"type": "chat.mute", "muted": True},
    ):
        await teacher.send_to(text_data=json.dumps(frame))
    assert (await next_of(student, "slide.changed"))["index"] == 3
    got = await next_of(student, "board.stroke")
    assert got["stroke"]["points"] == [[0, 0], [0.5, 1]]
    assert (await next_of(student, "chat.muted"))["muted"] is True
    await student.send_to(text_data=json.dumps({"type": "chat.send", "text": "hi"}))
    assert (await next_of(student, "error"))["code"] == "chat_muted"
    late, state = await joined(room.students[1], room.session)
    assert state["slide"]["index"] == 3
    assert len(state["board"]["strokes"]) == 1
    assert state["chat"]["muted"] is True
    await teacher.send_to(text_data=json.dumps({"type": "board.clear"}))
    assert await next_of(late, "board.clear")
    for comm in (teacher, student, late):
        await comm.disconnect()


async def test_session_end_closes_everyone_4410():
    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await teacher.send_to(text_data=json.dumps({"type": "session.end"}))
    assert await next_of(student, "session.ended")
    assert await close_code(student) == 4410
    assert await close_code(teacher) == 4410
    comm, _ = await connect(room.students[0], room.session)
    assert await close_code(comm) == 4410


async def test_removed_participant_is_cut_off_and_cannot_rejoin():
    room = await make_room()
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    target = room.students[0].pk
    await teacher.send_to(
        text_data=json.dumps({"type": "participant.remove", "user_id": target})
    )
    assert await close_code(student) == 4403
    await student.disconnect()
    again, _ = await connect(room.students[0], room.session)
    assert await close_code(again) == 4403
    await teacher.disconnect()
