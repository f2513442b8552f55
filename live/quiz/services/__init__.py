"""
Durable writes of the live quiz game, by section: ``opening`` (start a run,
open the next question), ``answers`` (record answers in batches) and
``closing`` (close a question once, end the run, keep the totals).
Recording a run in the gradebook is ``live.quiz.gradebook``.

Plain sync functions, called from ``live.quiz.handlers`` through
``database_sync_to_async`` and from views and tests directly. The database
is the source of truth, so every rule holds when students are spread over
several server processes:

* an answer is acked only after ``record_answers`` committed it; the unique
  keys (run, question, student) and (run, student, client_id) make the first
  answer count and a re-sent ``client_id`` harmless;
* answers are written in batches (one INSERT ... ON CONFLICT DO NOTHING and
  one read-back per batch), because thousands arrive within a second;
* a question is closed by a conditional UPDATE (``closed = false`` → true):
  whichever process wins computes the counts and scores, once. Answer
  batches share-lock the question rows (``FOR SHARE``) so a close waits for
  batches in flight and batches after it see the question closed.

Refusals raise ``live.protocol.ClientError`` with the contract's codes.
"""

from .answers import AnswerIn, record_answer, record_answers
from .closing import (
    Closed,
    close_if_due,
    close_question,
    end_quiz,
    refresh_scores,
    save_closed,
    standings,
)
from .opening import open_next_question, playable_questions, start_quiz

__all__ = [
    "AnswerIn",
    "Closed",
    "close_if_due",
    "close_question",
    "end_quiz",
    "open_next_question",
    "playable_questions",
    "record_answer",
    "record_answers",
    "refresh_scores",
    "save_closed",
    "standings",
    "start_quiz",
]
