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
import time

import pytest

from live.models import QuizRunAnswer
from live.rooms.services import issue_ticket
from tests.live.conftest import Room
from tests.live.multiprocess.clients import close_code_of, connect, open_client
from tests.live.multiprocess.servers import query
from tests.live.quiz_support import make_quiz

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL") or not shutil.which("redis-server"),
        reason="needs DATABASE_URL (PostgreSQL) and the redis-server binary",
    ),
]


def test_redis_killed_mid_quiz_loses_no_acked_answer_and_the_room_recovers(
    worker_and_redis,
):
    port, redis = worker_and_redis
    room = Room(students=2)
    quiz = make_quiz(room.teacher, questions=1, time_limit=120)
    question = quiz.questions.get()
    right_choice = question.choices.get(is_correct=True)
    right = right_choice.pk
    sid = room.session.pk
    s1, s2 = room.students
    tickets = {
        u.pk: issue_ticket(user=u, session=room.session)["ticket"]
        for u in (room.teacher, s1, s2)
    }

    async def scenario():
        teacher = await open_client(
            room.teacher, tickets[room.teacher.pk], port, sid, timeout=10
        )
        one = await open_client(s1, tickets[s1.pk], port, sid, timeout=10)
        two = await open_client(s2, tickets[s2.pk], port, sid, timeout=10)
        await teacher.send(type="quiz.start", quiz_id=quiz.pk)
        await teacher.send(type="quiz.next")
        shown = await one.wait("quiz.question")
        await two.wait("quiz.question")
        right_shown = next(
            c["id"] for c in shown["choices"] if c["text"] == right_choice.text
        )
        await one.send(
            type="quiz.answer", question_id=question.pk, choice_id=right_shown,
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
        ws = await connect(port, sid, tickets[s2.pk], open_timeout=10)
        assert await close_code_of(ws, 15) == 1011
        # The acked answer was in PostgreSQL before its ack.
        stored = await query(
            lambda: list(QuizRunAnswer.objects.values_list("student_id", "choice_id"))
        )
        assert stored == [(s1.pk, right)]

        # RL-02: Redis is back (empty); the same worker serves the room again
        # and the snapshot comes from the database.
        redis["proc"] = redis["start"](redis["port"])
        started = time.monotonic()
        for attempt in range(20):
            try:
                one = await open_client(s1, tickets[s1.pk], port, sid, timeout=10)
                break
            except Exception:
                await asyncio.sleep(0.25 * (attempt + 1))
        state = one.of("room.state")[0]
        assert time.monotonic() - started < 5
        assert state["quiz"]["question_id"] == question.pk
        assert state["quiz"]["your_answer"]["choice_id"] == right_shown
        # Recent chat is rebuilt from PostgreSQL, not lost with Redis.
        assert [m["text"] for m in state["chat"]["recent"]] == ["Cả lớp chú ý"]
        assert state["chat"]["recent"][0]["author"]["role"] == "teacher"
        two = await open_client(s2, tickets[s2.pk], port, sid, timeout=10)
        assert two.of("room.state")[0]["quiz"]["your_answer"] is None
        await two.send(
            type="quiz.answer", question_id=question.pk, choice_id=right_shown,
            client_id="two-1",
        )  # fmt: skip
        assert (await two.wait("quiz.ack"))["accepted"] is True
        for client in (one, two):
            await client.ws.close()

    asyncio.run(scenario())
    assert QuizRunAnswer.objects.count() == 2


KILLS = 20  # security-tests RL-01 (issue #12: Redis killed 20 times mid-quiz)


def test_twenty_redis_kills_mid_quiz_lose_no_acked_answer(worker_and_redis):
    """Round after round, a student answers, Redis dies, and comes back.

    In each round the students who answered before come back and find their
    own answer in ``room.state``; one more student answers and is acked; then
    Redis is killed. After twenty rounds PostgreSQL holds exactly the twenty
    acked answers, and the room still serves everyone.
    """
    port, redis = worker_and_redis
    room = Room(students=KILLS)
    quiz = make_quiz(room.teacher, questions=1, time_limit=600)
    question = quiz.questions.get()
    sid = room.session.pk
    tickets = {
        u.pk: issue_ticket(user=u, session=room.session)["ticket"]
        for u in (room.teacher, *room.students)
    }
    acked = {}  # student pk → the choice id they were acked for

    async def join(user):
        for attempt in range(20):
            try:
                return await open_client(user, tickets[user.pk], port, sid, timeout=10)
            except Exception:  # noqa: S112 - the worker sees Redis back soon
                await asyncio.sleep(0.1 * (attempt + 1))
        raise AssertionError(f"{user} could not rejoin")

    async def scenario():
        teacher = await join(room.teacher)
        await teacher.send(type="quiz.start", quiz_id=quiz.pk)
        await teacher.send(type="quiz.next")
        await teacher.wait("quiz.question")
        for n, student in enumerate(room.students):
            if n:
                redis["proc"] = redis["start"](redis["port"])
            # Those who answered before: their answer survived every kill.
            earlier = [s for s in room.students[:n] if s.pk in acked][-3:]
            clients = [await join(s) for s in earlier]
            for client in clients:
                state = client.of("room.state")[0]
                assert state["quiz"]["question_id"] == question.pk, n
                mine = state["quiz"]["your_answer"]["choice_id"]
                assert mine == acked[client.user.pk], (n, client.user)
            client = await join(student)
            shown = client.of("room.state")[0]["quiz"]["choices"]
            choice = shown[n % len(shown)]["id"]
            await client.send(
                type="quiz.answer", question_id=question.pk, choice_id=choice,
                client_id=f"k-{n}",
            )  # fmt: skip
            assert (await client.wait("quiz.ack"))["accepted"] is True, n
            acked[student.pk] = choice
            clients.append(client)
            if n == 0:
                clients.append(teacher)

            redis["proc"].send_signal(signal.SIGKILL)
            redis["proc"].wait(5)
            done, _ = await asyncio.wait([c.reader for c in clients], timeout=20)
            assert len(done) == len(clients), n
            for reader in done:
                reader.exception()  # ConnectionClosedError: the close we wanted
            assert {c.ws.close_code for c in clients} <= {1011, 1012}, n
            stored = await query(QuizRunAnswer.objects.count)
            assert stored == n + 1, n

    asyncio.run(scenario())
    assert QuizRunAnswer.objects.count() == KILLS
    assert set(QuizRunAnswer.objects.values_list("student_id", flat=True)) == set(acked)
