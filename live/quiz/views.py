"""Results pages of kept quiz runs: teachers see the class, a student and
their parents see the student's own result. Others get a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from live.models import QuizRun

from . import gradebook, permissions, selectors


@login_required
def run_list(request):
    """The teacher's runs, newest first."""
    runs = (
        permissions.runs_with_full_results(request.user)
        .select_related("session", "session__classroom")
        .order_by("-started_at")[:200]
    )
    return render(request, "live/quiz_run_list.html", {"runs": runs})


@login_required
def run_results(request, run_id: int):
    run = get_object_or_404(
        permissions.runs_with_full_results(request.user).select_related(
            "session", "session__classroom"
        ),
        pk=run_id,
    )
    context = {
        "run": run,
        "questions": selectors.question_summaries(run),
        "scores": selectors.score_list_for_run(run),
    }
    return render(request, "live/quiz_run_results.html", context)


RECORDED = _("Đã ghi điểm lượt chơi vào sổ điểm của lớp.")


@require_POST
@login_required
def run_record_grades(request, run_id: int):
    """One button: the run's scores become a returned grade per student."""
    run = get_object_or_404(permissions.runs_with_full_results(request.user), pk=run_id)
    try:
        gradebook.record_quiz_run_in_gradebook(run=run, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, RECORDED)
    return redirect("live:quiz-run-results", run_id=run.pk)


def _visible_student(request, student_id: int) -> User:
    student = get_object_or_404(User.objects.students(), pk=student_id)
    if not permissions.can_view_student_results(request.user, student):
        raise Http404
    return student


@login_required
def student_runs(request, student_id: int):
    student = _visible_student(request, student_id)
    runs = selectors.run_list_for_student(student)[:200]
    return render(
        request, "live/quiz_student_runs.html", {"student": student, "runs": runs}
    )


@login_required
def student_run_result(request, run_id: int, student_id: int):
    student = _visible_student(request, student_id)
    run = get_object_or_404(QuizRun.objects.select_related("session"), pk=run_id)
    result = selectors.student_result(run, student)
    if result is None:
        raise Http404
    return render(
        request,
        "live/quiz_student_result.html",
        {"run": run, "student": student, "result": result},
    )
