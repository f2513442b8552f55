"""
The question bank, and the attempts of quiz homework.

Three things are called "quiz" in Lophoc; this module holds the first and the
answers of the second:

* the *question bank*: ``Quiz`` is a teacher's set of ``Question``s with
  their ``Choice``s (``assignments.question_bank``);
* *quiz homework*: an ``Assignment`` of kind quiz, answered once in a
  ``QuizAttempt`` with one ``QuizAnswer`` per question
  (``assignments.quiz_homework``);
* the *live quiz game*: a ``QuizRun`` of a bank quiz in a live session
  (``live``).

A question serves both quiz homework and the live quiz game, so it carries
both a homework weight (``points``) and a live countdown
(``time_limit_seconds``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QuizQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class Quiz(models.Model):
    """A question bank quiz: a teacher's reusable set of questions."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quizzes",
        verbose_name=_("giáo viên"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ câu hỏi")
        verbose_name_plural = _("bộ câu hỏi")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Một đáp án đúng")
    MULTIPLE = "multiple", _("Nhiều đáp án đúng")
    TRUE_FALSE = "true_false", _("Đúng / Sai")
    NUMERIC = "numeric", _("Trả lời bằng số")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(
        _("loại câu hỏi"),
        max_length=16,
        choices=QuestionKind.choices,
        default=QuestionKind.SINGLE,
    )
    text = models.TextField(_("câu hỏi"))
    explanation = models.TextField(_("giải thích"), blank=True)
    points = models.PositiveSmallIntegerField(_("điểm"), default=1)
    time_limit_seconds = models.PositiveSmallIntegerField(
        _("thời gian trả lời (giây)"), default=20
    )
    numeric_answer = models.DecimalField(
        _("đáp số"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("sai số cho phép"), max_digits=12, decimal_places=4, default=0
    )

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["quiz", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=5) & Q(time_limit_seconds__lte=600),
                name="question_time_limit_5_to_600",
            ),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False),
                name="numeric_question_has_answer",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def correct_choice_ids(self) -> set[int]:
        return {c.pk for c in self.choices.all() if c.is_correct}


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.CharField(_("lựa chọn"), max_length=300)
    is_correct = models.BooleanField(_("là đáp án đúng"), default=False)

    class Meta:
        verbose_name = _("lựa chọn")
        verbose_name_plural = _("lựa chọn")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class QuizAttempt(models.Model):
    """A student's answers to a quiz homework, graded when submitted."""

    submission = models.OneToOneField(
        "assignments.Submission",
        on_delete=models.CASCADE,
        related_name="quiz_attempt",
    )
    score = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bài làm trắc nghiệm")
        verbose_name_plural = _("bài làm trắc nghiệm")

    def __str__(self):
        return f"{self.submission} ({self.score}/{self.max_score})"


class QuizAnswer(models.Model):
    """One answer of a quiz homework attempt (the live quiz game's answers
    are ``live``'s own model)."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    numeric_value = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True
    )
    is_correct = models.BooleanField(default=False)
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="unique_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id}:{self.question_id}"
