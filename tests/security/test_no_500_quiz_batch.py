"""
No 500 for anything a user can send (issue #12, build 4): the quiz answer batch.

Catalogue row WS-10 (huge ints → error reply, the worker survives) for the
10 ms answer batch: one answer with ``question_id = 2**63`` used to raise in
the batch on SQLite, so no answer of that batch got an ack or a row.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async as db

from live import protocol as p
from live.models import QuizRunAnswer
from live.quiz import services
from live.quiz.handlers import AnswerBatcher, BatchItemFailed
from tests.live.quiz_support import answer, make_room

pytestmark = pytest.mark.django_db(transaction=True)


def started_room():
    room = make_room(students=3)
    services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    services.open_next_question(session_id=room.session.pk, user=room.teacher)
    good = [
        answer(room, s, room.question(0), room.right(0), f"c{i}")
        for i, s in enumerate(room.students)
    ]
    bad = answer(room, room.students[0], 2**63, room.right(0), "huge")
    return good, bad


@pytest.mark.asyncio
async def test_one_answer_with_a_huge_id_fails_alone_the_others_are_stored():
    good, bad = await db(started_room)()
    batcher = AnswerBatcher()
    results = await asyncio.gather(
        batcher.submit(good[0]),
        batcher.submit(bad),
        batcher.submit(good[1]),
        batcher.submit(good[2]),
    )
    # SQLite raises OverflowError on the huge id, so that item fails alone;
    # PostgreSQL (Django 5) reads an out-of-range id as "no such question"
    # and refuses it in its ack. Either way only that answer is lost.
    assert results[1] is BatchItemFailed or results[1]["accepted"] is False
    assert [r["accepted"] for r in (results[0], results[2], results[3])] == [True] * 3
    stored = await db(
        lambda: set(QuizRunAnswer.objects.values_list("client_id", flat=True))
    )()
    assert stored == {"c0", "c1", "c2"}


def test_ids_outside_the_64_bit_range_are_bad_requests():
    """WS-10: a huge int in an id field gets the contract's bad_request."""
    for value in (2**63, 10**30, -(2**63) - 1, 0):
        request = p.Request(
            type="quiz.answer", data={"question_id": value}, client_id="x"
        )
        with pytest.raises(p.ClientError) as caught:
            p.clean_id(request, "question_id")
        assert caught.value.code == p.ErrorCode.BAD_REQUEST
    request = p.Request(
        type="quiz.answer", data={"question_id": 2**63 - 1}, client_id="x"
    )
    assert p.clean_id(request, "question_id") == 2**63 - 1
