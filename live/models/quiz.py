"""
The live quiz game: a ``QuizRun`` is one playing of a *question bank*
(``assignments.Quiz``) in a live session. Every
run is kept: its questions with their open/close times and counts, every
answer with the server's receive time and points, and each student's total.
The database is the source of truth; uniqueness constraints make the first
answer of a student to a question the one that counts (QZ-10) and make a
re-sent ``client_id`` harmless (QZ-05).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang chơi")
    ENDED = "ended", _("Đã kết thúc")


class QuizRunQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status=RunStatus.RUNNING)


class QuizRun(models.Model):
    session = models.ForeignKey(
        "live.LiveSession",
        on_delete=models.CASCADE,
        related_name="quiz_runs",
        verbose_name=_("buổi học"),
    )
    quiz = models.ForeignKey(
        "assignments.Quiz",
        on_delete=models.CASCADE,
        related_name="live_runs",
        verbose_name=_("bộ câu hỏi"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
    )
    question_count = models.PositiveSmallIntegerField(default=0)
    # The playable questions in play order, fixed when the run starts so an
    # edit of the quiz during class cannot reorder a running game.
    question_ids = models.JSONField(default=list)
    # -1 until the first question opens; then the index of the latest opened.
    current_index = models.SmallIntegerField(default=-1)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The gradebook column this run's scores were recorded in, so recording
    # again updates it instead of adding a second column.
    gradebook_assignment = models.ForeignKey(
        "assignments.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cột sổ điểm"),
    )

    objects = QuizRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt chơi trắc nghiệm")
        verbose_name_plural = _("lượt chơi trắc nghiệm")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status="running"),
                name="one_running_quiz_per_session",
            )
        ]

    def __str__(self):
        return self.title


class QuizRunQuestion(models.Model):
    """One question of a run, in play order, created when it opens."""

    run = models.ForeignKey(QuizRun, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        "assignments.Question", on_delete=models.CASCADE, related_name="+"
    )
    index = models.PositiveSmallIntegerField()
    time_limit_ms = models.PositiveIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Filled once, by whoever closes the question.
    counts = models.JSONField(default=dict, blank=True)
    answered_count = models.PositiveIntegerField(default=0)
    correct_count = models.PositiveIntegerField(default=0)
    correct_choice_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "index"], name="unique_quiz_run_index"
            ),
            models.UniqueConstraint(
                fields=["run", "question"], name="unique_quiz_run_question"
            ),
        ]

    def __str__(self):
        return f"{self.run_id}#{self.index}"


class QuizRunAnswer(models.Model):
    """A student's answer to one question of a run, as the server received
    it: the first one counts, the points are the server's."""

    run = models.ForeignKey(QuizRun, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "assignments.Question", on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_quiz_answers",
    )
    choice = models.ForeignKey(
        "assignments.Choice", on_delete=models.CASCADE, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField()
    correct = models.BooleanField()
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "question", "student"],
                name="one_quiz_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["run", "student", "client_id"],
                name="unique_quiz_answer_client_id",
            ),
        ]

    def __str__(self):
        return f"{self.student_id}: {self.choice_id}"


class QuizRunScore(models.Model):
    """A student's running total, recomputed from answers at each close."""

    run = models.ForeignKey(QuizRun, on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_quiz_scores",
    )
    score = models.PositiveIntegerField(default=0)
    # Sum of answer times; an unanswered closed question counts its limit.
    total_ms = models.PositiveBigIntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    answered_count = models.PositiveSmallIntegerField(default=0)
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "student"], name="unique_quiz_run_score"
            )
        ]

    def __str__(self):
        return f"{self.student_id}: {self.score}"
