"""
The live quiz game inside a room: one async handler per ``quiz.*`` message
(``HANDLERS``, part of the room's table in ``live.rooms.handlers``), the
per-question timer and the answer batcher.

Handlers only check who may send what, parse fields and call the durable
services in ``live.quiz.services`` through ``database_sync_to_async``; the
rules live there and in ``live.quiz.scoring``. Frames go out through the
room hub (``live.realtime.hub``), so they reach students on every server
process. The ``quiz`` field of ``room.state`` is ``live.quiz.selectors``.

What lives in this process only, and why that is safe:

* the answer batcher: it holds answers for a few milliseconds and acks each
  only after its batch committed;
* the timer of a question opened here: it sends ``quiz.progress`` to the
  teachers (at most 4 per second, counted in the database, so answers taken
  by other processes count too) and closes the question at ``closes_at``.
  If this process dies, the question is closed by the next teacher action
  or by the first late answer on any process (``close_if_due``); the close
  is a conditional UPDATE, so it happens once whoever gets there first.
"""

import asyncio
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async as db
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from live import protocol as p

from . import selectors, services

log = logging.getLogger(__name__)

BATCH_WINDOW = 0.010  # seconds an answer waits for others to share a commit
BATCH_MAX = 2000
PROGRESS_INTERVAL = 0.25  # quiz.progress at most 4 per second


async def _call(request: p.Request, fn, **kwargs):
    try:
        return await db(fn)(**kwargs)
    except p.ClientError as error:
        raise error.with_ref(request.ref)


# ---------------------------------------------------------------------------
# Handlers


async def start(member, request: p.Request) -> None:
    quiz_id = p.clean_id(request, "quiz_id")
    run = await _call(
        request,
        services.start_quiz,
        session_id=member.session_id,
        quiz_id=quiz_id,
        user=member.user,
    )
    frame = p.quiz_started(
        run_id=run.pk,
        quiz_id=run.quiz_id,
        title=run.title,
        question_count=run.question_count,
    )
    await member.hub.publish(member.session_id, frame)


async def next_question(member, request: p.Request) -> None:
    results, item = await _call(
        request,
        services.open_next_question,
        session_id=member.session_id,
        user=member.user,
    )
    if results is not None:
        await announce_results(member.hub, member.session_id, results)
    frame = await db(selectors.question_frame)(item)
    await member.hub.publish(member.session_id, frame)
    _start_timer(member.hub, member.session_id, item)


async def answer(member, request: p.Request) -> p.QuizAckFrame | None:
    question_id = p.clean_id(request, "question_id")
    choice_id = p.clean_id(request, "choice_id")
    if not request.client_id:
        raise p.bad_request(request)
    ack = await get_batcher().submit(
        services.AnswerIn(
            session_id=member.session_id,
            student_id=member.user_id,
            question_id=question_id,
            choice_id=choice_id,
            client_id=request.client_id,
            received_at=timezone.now(),
        )
    )
    if ack is BatchItemFailed:
        raise p.bad_request(request)
    if ack is None:  # the database was away: not stored, not acked
        raise p.ClientError(p.ErrorCode.UNAVAILABLE, request.ref)
    if ack["reason"] == p.AckReason.CLOSED:
        # The process that opened the question may be gone: close it here.
        await close_and_announce(member.hub, member.session_id, due_only=True)
    return ack


async def reveal(member, request: p.Request) -> None:
    if not await close_and_announce(member.hub, member.session_id):
        raise p.ClientError(p.ErrorCode.NO_QUIZ, request.ref)


async def end(member, request: p.Request) -> None:
    results, ended = await _call(
        request, services.end_quiz, session_id=member.session_id, user=member.user
    )
    if results is not None:
        await announce_results(member.hub, member.session_id, results, save=False)
    await member.hub.publish(member.session_id, ended)


# ---------------------------------------------------------------------------
# Results and timers


async def close_and_announce(hub, session_id: int, *, due_only: bool = False) -> bool:
    """Close the session's open question (if due) and send the results.

    Returns False when no question was open. When another process closed it
    first, that process announces and this one stays quiet.
    """
    item = await db(selectors.open_item)(session_id)
    if item is None:
        return False
    if due_only and item.closes_at > timezone.now():
        return True
    closed = await db(services.close_question)(item_id=item.pk)
    if closed is not None:
        await announce_results(hub, session_id, closed)
    return True


async def announce_results(hub, session_id: int, closed, *, save=True) -> None:
    """``quiz.result`` to everyone, a private ``quiz.you`` per online
    student (one hub message for all of them), then store the totals."""
    await hub.publish(session_id, closed.result)
    online = await hub.store.online(session_id)
    students = [uid for uid, info in online.items() if info.get("role") == p.STUDENT]
    if students:
        await hub.send_to_users(session_id, closed.you_frames(students))
    if save:
        await db(services.save_closed)(closed)


_timers: dict[int, asyncio.Task] = {}


def _start_timer(hub, session_id: int, item) -> None:
    previous = _timers.pop(session_id, None)
    if previous is not None:
        previous.cancel()
    task = asyncio.ensure_future(_run_timer(hub, session_id, item))
    _timers[session_id] = task
    task.add_done_callback(
        lambda t: (
            _timers.pop(session_id, None) if _timers.get(session_id) is t else None
        )
    )


async def _run_timer(hub, session_id: int, item) -> None:
    """Progress to the teachers while open, then close at the deadline."""
    last = None
    try:
        while True:
            remaining = (item.closes_at - timezone.now()).total_seconds()
            still_open, answered = await db(selectors.progress)(item)
            if not still_open:
                return
            online = await hub.store.online(session_id)
            total = sum(1 for info in online.values() if info.get("role") == p.STUDENT)
            if (answered, total) != last:
                last = (answered, total)
                frame = p.quiz_progress(
                    question_id=item.question_id,
                    answered=answered,
                    total=max(total, answered),
                )
                await hub.send_to_staff(session_id, frame)
            if remaining <= 0:
                break
            await asyncio.sleep(min(PROGRESS_INTERVAL, remaining))
        closed = await db(services.close_question)(item_id=item.pk)
        if closed is not None:
            await announce_results(hub, session_id, closed)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("quiz: timer of session %s failed", session_id)


# ---------------------------------------------------------------------------
# Answer batching


# What ``AnswerBatcher.submit`` resolves with for an answer that failed on
# its own (say an id outside the database's integer range): its sender gets
# ``error`` ``bad_request``; the rest of its batch was stored and acked.
BatchItemFailed = object()


class AnswerBatcher:
    """Collects answers for a few ms and commits them in one transaction.

    Thousands of students answer within a second; one commit each would
    queue them behind each other. Each ``submit`` resolves with the answer's
    ``quiz.ack`` only after the batch holding it committed.
    """

    def __init__(self, window: float = BATCH_WINDOW, limit: int = BATCH_MAX):
        self.window = window
        self.limit = limit
        self.pending: list[tuple[services.AnswerIn, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def submit(self, item: services.AnswerIn) -> dict | None:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((item, future))
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())
        return await future

    async def _run(self) -> None:
        while self.pending:
            await asyncio.sleep(self.window)
            batch, self.pending = self.pending[: self.limit], self.pending[self.limit :]
            for (_item, future), ack in zip(batch, await _acks(batch), strict=True):
                if not future.done():
                    future.set_result(ack)


async def _acks(batch) -> list:
    """One ack per answer; one bad answer must not cost the others theirs."""
    try:
        return await _record([item for item, _f in batch])
    except (OperationalError, InterfaceError):
        # The database is away or busy, not refusing this data. Nothing was
        # acked: each client keeps its answer and re-sends it with the same
        # client_id.
        log.exception("quiz: answer batch of %d failed", len(batch))
        return [None] * len(batch)
    except Exception:
        if len(batch) == 1:
            log.exception("quiz: an answer failed on its own")
            return [BatchItemFailed]
    log.warning("quiz: answer batch of %d failed; recording one by one", len(batch))
    return [(await _acks([entry]))[0] for entry in batch]


_answer_thread = None


def _record_in_answer_thread(answers):
    try:
        return services.record_answers(answers)
    except Exception:
        # Drop a possibly broken connection; the next batch reconnects.
        connection.close()
        raise


def _record(answers):
    """Run ``record_answers`` off the event loop.

    On PostgreSQL in one dedicated thread that keeps its connection open:
    a batch must not queue behind the room's other sync work (joins, access
    checks) in the shared sync thread, nor wait for a connection from the
    process's pool (``LOPHOC_DB_POOL_MAX``). SQLite serialises writers anyway, and its
    shared-cache test database locks tables across threads, so there it
    stays in the shared sync thread.
    """
    global _answer_thread
    if connection.vendor != "postgresql":
        return db(services.record_answers)(answers)
    if _answer_thread is None:
        _answer_thread = ThreadPoolExecutor(1, thread_name_prefix="quiz-answers")
    loop = asyncio.get_running_loop()
    return loop.run_in_executor(_answer_thread, _record_in_answer_thread, answers)


_batchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AnswerBatcher]" = (
    weakref.WeakKeyDictionary()
)


def get_batcher() -> AnswerBatcher:
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        batcher = _batchers[loop] = AnswerBatcher()
    return batcher


HANDLERS = {
    p.QUIZ_START: start,
    p.QUIZ_NEXT: next_question,
    p.QUIZ_ANSWER: answer,
    p.QUIZ_REVEAL: reveal,
    p.QUIZ_END: end,
}
