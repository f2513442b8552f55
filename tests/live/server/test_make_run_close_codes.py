"""
The contract's close codes against the real server ``make run`` starts
(#13, build 3), with the real ``websockets`` client.

The server is started from the command line of ``make -n run`` (the
Makefile is its one home) on the test database and this test's Redis
prefix, so tickets issued here are valid there. Under daphne 1009 and 1012
came back as 1011 (autobahn refuses them); the communicator tests cannot
see that. Covers WS-03 (outsider refused, no room data), WS-08 (frames over
16 KiB close with 1009) and RL-03 (SIGTERM → 1012 for every socket).
"""

import asyncio
import json
import signal
import subprocess

import pytest
from websockets.exceptions import ConnectionClosed

from live.models import LiveSession, SessionStatus
from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.clients import (
    close_code_of,
    connect,
    open_socket,
    receive,
)
from tests.live.multiprocess.servers import (
    NEEDS_SERVICES,
    free_port_pair,
    server_env,
    wait_listening,
)
from tests.live.server.make_run import ROOT, make_run_command

pytestmark = NEEDS_SERVICES

LIMIT = 16 * 1024


@pytest.fixture
def make_run(transactional_db):
    """The ``make run`` server on a free port: its port and process."""
    port = free_port_pair(9800, 9899)
    proc = subprocess.Popen(  # noqa: S603 - from the Makefile
        make_run_command(port), cwd=ROOT, env=server_env()
    )
    try:
        wait_listening(port, 30)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def refused_before_any_frame(port, session_id, ticket) -> int:
    """The close code of a refused join; fails if any frame arrived first."""
    ws = await connect(port, session_id, ticket)
    try:
        frame = await asyncio.wait_for(ws.recv(), 10)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    raise AssertionError(f"a refused socket received {frame[:80]!r}")


def ping_of_utf8_size(size: int) -> str:
    """A ``ping`` frame of exactly ``size`` UTF-8 bytes, mostly 3-byte 'ệ'
    (so a server counting characters instead of bytes would be caught)."""
    empty = json.dumps({"type": "ping", "t": ""}, ensure_ascii=False)
    room = size - len(empty.encode())
    pad = "ệ" * (room // 3) + "a" * (room % 3)
    frame = json.dumps({"type": "ping", "t": pad}, ensure_ascii=False)
    assert len(frame.encode()) == size
    return frame


def test_a_student_of_another_class_is_closed_4403_with_no_room_data(make_run):
    """WS-03 against the real server: not a member → 4403, nothing sent."""
    port, _proc = make_run
    room = Room()
    ticket = ticket_for(room.outsider, room.session)
    code = asyncio.run(refused_before_any_frame(port, room.session.pk, ticket))
    assert code == 4403


def test_an_unknown_session_is_closed_4404(make_run):
    port, _proc = make_run
    room = Room()
    missing = LiveSession(pk=room.session.pk + 999)  # a valid ticket naming it
    ticket = ticket_for(room.teacher, missing)
    assert asyncio.run(refused_before_any_frame(port, missing.pk, ticket)) == 4404


def test_a_session_not_open_yet_is_closed_4409_and_an_ended_one_4410(make_run):
    port, _proc = make_run
    scheduled = Room(status=SessionStatus.SCHEDULED)
    ended = Room(status=SessionStatus.ENDED)
    student, pupil = scheduled.students[0], ended.students[0]

    async def scenario():
        return (
            await refused_before_any_frame(
                port, scheduled.session.pk, ticket_for(student, scheduled.session)
            ),
            await refused_before_any_frame(
                port, ended.session.pk, ticket_for(pupil, ended.session)
            ),
        )

    assert asyncio.run(scenario()) == (4409, 4410)


def test_a_frame_of_exactly_16_kib_is_answered_and_one_byte_more_closes_1009(
    make_run,
):
    """WS-08 against the real server: the limit is 16 KiB of UTF-8 bytes;
    at the limit the ping is answered and the socket stays open, one byte
    over closes with 1009 (not 1011 as under daphne)."""
    port, _proc = make_run
    room = Room()
    ticket = ticket_for(room.students[0], room.session)
    at_limit, over = ping_of_utf8_size(LIMIT), ping_of_utf8_size(LIMIT + 1)
    assert len(over) < LIMIT  # in characters it is under the limit

    async def scenario():
        ws = await open_socket(port, room.session, ticket)
        await ws.send(at_limit)
        pong = await asyncio.wait_for(receive(ws), 10)
        assert pong["type"] == "pong" and pong["t"] == json.loads(at_limit)["t"]
        await ws.send(json.dumps({"type": "ping", "t": 2}))
        assert (await asyncio.wait_for(receive(ws), 10)) == {"type": "pong", "t": 2}
        await ws.send(over)
        return await close_code_of(ws, 10)

    assert asyncio.run(scenario()) == 1009


def test_a_2_mib_frame_closes_1009(make_run):
    """WS-08: far over the limit, past the server's own 1 MiB backstop."""
    port, _proc = make_run
    room = Room()
    ticket = ticket_for(room.students[0], room.session)

    async def scenario():
        ws = await open_socket(port, room.session, ticket)
        try:
            await ws.send(json.dumps({"type": "ping", "t": "x" * (2 * 1024 * 1024)}))
        except ConnectionClosed as closed:
            # The server may close while the 2 MiB are still being written;
            # then the close frame it sent reaches us through send().
            return closed.rcvd.code if closed.rcvd else None
        return await close_code_of(ws, 10)

    assert asyncio.run(scenario()) == 1009


def test_sigterm_closes_every_socket_with_1012(make_run):
    """RL-03 against the real `make run` server: the teacher's and every
    student's socket close with 1012 ("service restart"), and it exits."""
    port, proc = make_run
    room = Room(students=5)
    users = [room.teacher, *room.students]
    tickets = [ticket_for(user, room.session) for user in users]

    async def scenario():
        sockets = [await open_socket(port, room.session, t) for t in tickets]
        proc.send_signal(signal.SIGTERM)
        return await asyncio.gather(*(close_code_of(ws, 15) for ws in sockets))

    assert asyncio.run(scenario()) == [1012] * len(users)
    proc.wait(20)
    assert proc.poll() is not None
