"""
Redis killed with ``kill -9`` during a live quiz (RL-01, RL-02).

The test starts its own throwaway ``redis-server`` (the shared one is never
touched) and one uvicorn worker using it. While Redis is gone, the room's
sockets close with 1011/1012 and joins are refused with 1011, never hang;
every answer already acked is in PostgreSQL. When Redis is back, the same
worker (not restarted) lets the students rejoin, and ``room.state`` rebuilds
the open question and each student's own answer from the database.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import time

import pytest

from live.models import QuizRunAnswer
from live.rooms.services import issue_ticket
from tests.live.conftest import Room
from tests.live.multiprocess.servers import (
    free_port_pair,
    kill_all,
    server_env,
    start_uvicorn,
    wait_listening,
)
from tests.live.multiprocess.test_quiz_two_processes import Client
from tests.live.multiprocess.test_two_processes import (
    close_code_of,
)
from tests.live.quiz_support import make_quiz

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL") or not shutil.which("redis-server"),
        reason="needs DATABASE_URL (PostgreSQL) and the redis-server binary",
    ),
]


def start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_listening(port, 15)
    return proc


@pytest.fixture
def worker_and_redis(transactional_db):
    web_port = free_port_pair(9600, 9699)
    redis_port = web_port + 1
    redis = {"proc": start_redis(redis_port), "port": redis_port}
    env = server_env(
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", LOPHOC_LOG_LEVEL="ERROR"
    )
    web = start_uvicorn(web_port, env)
    try:
        yield web_port, redis
    finally:
        kill_all([web, redis["proc"]])


async def connect(port, session_id, ticket):
    from websockets.asyncio.client import connect

    return await connect(
        f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}",
        origin=f"http://127.0.0.1:{port}",
        open_timeout=10,
    )


async def join(port, session_id, ticket, user):
    client = Client(user, await connect(port, session_id, ticket))
    await client.wait("room.state", timeout=10)
    return client


def test_redis_killed_mid_quiz_loses_no_acked_answer_and_the_room_recovers(
    worker_and_redis,
):
    port, redis = worker_and_redis
    room = Room(students=2)
    quiz = make_quiz(room.teacher, questions=1, time_limit=120)
    question = quiz.questions.get()
    right = question.choices.get(is_correct=True).pk
    sid = room.session.pk
    s1, s2 = room.students
    tickets = {
        u.pk: issue_ticket(user=u, session=room.session)["ticket"]
        for u in (room.teacher, s1, s2)
    }

    async def scenario():
        teacher = await join(port, sid, tickets[room.teacher.pk], room.teacher)
        one = await join(port, sid, tickets[s1.pk], s1)
        two = await join(port, sid, tickets[s2.pk], s2)
        await teacher.send(type="quiz.start", quiz_id=quiz.pk)
        await teacher.send(type="quiz.next")
        await one.wait("quiz.question")
        await two.wait("quiz.question")
        await one.send(
            type="quiz.answer", question_id=question.pk, choice_id=right,
            client_id="one-1",
        )  # fmt: skip
        ack = await one.wait("quiz.ack")
        assert ack["accepted"] is True
        await teacher.send(type="chat.send", text="Cả lớp chú ý", client_id="t-1")
        await one.wait("chat.message")

        # RL-01: kill -9 Redis. Every socket is closed with 1011/1012 so the
        # clients show "reconnecting" instead of sitting in a dead room.
        redis["proc"].send_signal(signal.SIGKILL)
        redis["proc"].wait(5)
        started = time.monotonic()
        readers = [client.reader for client in (teacher, one, two)]
        done, _ = await asyncio.wait(readers, timeout=20)
        assert len(done) == 3
        for reader in done:
            reader.exception()  # ConnectionClosedError: the close we wanted
        for client in (teacher, one, two):
            assert client.ws.close_code in (1011, 1012)
        assert time.monotonic() - started < 20
        # A join while Redis is down is refused at once, not left hanging.
        ws = await connect(port, sid, tickets[s2.pk])
        assert await close_code_of(ws, 15) == 1011
        # The acked answer was in PostgreSQL before its ack.
        stored = await asyncio.to_thread(
            lambda: list(QuizRunAnswer.objects.values_list("student_id", "choice_id"))
        )
        assert stored == [(s1.pk, right)]

        # RL-02: Redis is back (empty); the same worker serves the room again
        # and the snapshot comes from the database.
        redis["proc"] = start_redis(redis["port"])
        started = time.monotonic()
        for attempt in range(20):
            try:
                one = await join(port, sid, tickets[s1.pk], s1)
                break
            except Exception:
                await asyncio.sleep(0.25 * (attempt + 1))
        state = one.of("room.state")[0]
        assert time.monotonic() - started < 5
        assert state["quiz"]["question_id"] == question.pk
        assert state["quiz"]["your_answer"]["choice_id"] == right
        # Recent chat is rebuilt from PostgreSQL, not lost with Redis.
        assert [m["text"] for m in state["chat"]["recent"]] == ["Cả lớp chú ý"]
        assert state["chat"]["recent"][0]["author"]["role"] == "teacher"
        two = await join(port, sid, tickets[s2.pk], s2)
        assert two.of("room.state")[0]["quiz"]["your_answer"] is None
        await two.send(
            type="quiz.answer", question_id=question.pk, choice_id=right,
            client_id="two-1",
        )  # fmt: skip
        assert (await two.wait("quiz.ack"))["accepted"] is True
        for client in (one, two):
            await client.ws.close()

    asyncio.run(scenario())
    assert QuizRunAnswer.objects.count() == 2
