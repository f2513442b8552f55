"""
Record a finished run of the live quiz game in the gradebook with one action.

The run becomes one assignment of its class (a closed column: due when the
run ended, no late work, so nothing can be handed in to it) and each
participant's total becomes a returned grade on it, through
``assignments.services.record_grades``.

Scaling: grade = run score / (1000 × questions played) × points, rounded
half up to 0.1 and kept within 0..points. 1000 is the most a question can
earn (``quiz_scoring.MAX_POINTS``); "played" counts the questions that were
opened, so ending a run early does not lower everyone's grade.

Students of the class who never answered have no total and get no grade:
they appear as missing in the gradebook, as for homework not handed in,
rather than with a 0 the teacher did not give. Students who answered but
have since left the class are skipped.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assignments import services as assignment_services
from assignments.models import Assignment, AssignmentKind, LatePolicy
from classrooms.models import Enrollment
from live.models import QuizRun, QuizRunQuestion, QuizRunScore, RunStatus

from . import permissions
from .scoring import MAX_POINTS

NOT_ALLOWED = _("Bạn không có quyền thực hiện thao tác này.")
RUN_NOT_ENDED = _("Hãy kết thúc lượt chơi trước khi ghi điểm vào sổ điểm.")
NOTHING_PLAYED = _("Lượt chơi chưa có câu hỏi nào nên không có điểm để ghi.")
TITLE = _("%(quiz)s – trắc nghiệm trực tiếp %(date)s")
INSTRUCTIONS = _(
    "Điểm của lượt trắc nghiệm trực tiếp “%(quiz)s” trong buổi học “%(session)s”."
)
COMMENT = _("Điểm quy đổi từ lượt trắc nghiệm trực tiếp.")
TENTH = Decimal("0.1")
DEFAULT_POINTS = Decimal(10)


def scaled_grade(*, run_score: int, played: int, points: Decimal) -> Decimal:
    """A run total on the assignment's scale (see the module docstring)."""
    grade = (Decimal(run_score) * points / (MAX_POINTS * played)).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )
    return min(max(grade, Decimal(0)), points)


def _create_column(run: QuizRun, by: User, points: Decimal) -> Assignment:
    ended = run.ended_at or timezone.now()
    values = {"quiz": run.title[:150], "session": run.session.title}
    assignment = assignment_services.create_assignment(
        by=by,
        classrooms=[run.session.classroom],
        title=_gettext(TITLE)
        % {**values, "date": timezone.localtime(run.started_at).strftime("%d/%m/%Y")},
        instructions=_gettext(INSTRUCTIONS) % values,
        due_at=ended,
        kind=AssignmentKind.UPLOAD,
        points=points,
        late_policy=LatePolicy.REFUSE,
    )
    return assignment_services.publish_assignment(
        assignment=assignment, by=by, announce=False
    )


@transaction.atomic
def record_quiz_run_in_gradebook(
    *, run: QuizRun, by: User, points: Decimal = DEFAULT_POINTS
) -> Assignment:
    """
    Create (or, the second time, reuse) the run's gradebook column and
    record every participant's scaled grade on it. ``points`` applies when
    the column is created; a reused column keeps its own scale.
    """
    if not permissions.can_record_in_gradebook(by, run):
        raise PermissionDenied(NOT_ALLOWED)
    # The lock makes a double click wait for the first click's column.
    run = (
        QuizRun.objects.select_for_update()
        .select_related("session__classroom")
        .get(pk=run.pk)
    )
    if run.status != RunStatus.ENDED:
        raise ValidationError(RUN_NOT_ENDED)
    played = QuizRunQuestion.objects.filter(run=run).count()
    if not played:
        raise ValidationError(NOTHING_PLAYED)
    assignment = Assignment.objects.filter(pk=run.gradebook_assignment_id).first()
    if assignment is None:
        assignment = _create_column(run, by, points)
        run.gradebook_assignment = assignment
        run.save(update_fields=["gradebook_assignment"])
    enrolled = Enrollment.objects.filter(
        classroom=run.session.classroom, student__is_active=True
    ).values("student_id")
    totals = QuizRunScore.objects.filter(run=run, student_id__in=enrolled)
    assignment_services.record_grades(
        assignment=assignment,
        scores={
            s.student_id: scaled_grade(
                run_score=s.score, played=played, points=assignment.points
            )
            for s in totals
        },
        by=by,
        comment=_gettext(COMMENT),
    )
    return assignment
