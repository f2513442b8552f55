"""Question bank pages: a teacher's quizzes, played as quiz homework and in
the live quiz game."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import permissions, question_bank
from .forms import QuestionForm, QuizForm
from .views import add_errors, require_teacher


@login_required
def quiz_list(request):
    require_teacher(request.user)
    form = QuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quiz = question_bank.create_quiz(owner=request.user, **form.cleaned_data)
        return redirect("assignments:quiz", pk=quiz.pk)
    context = {"quizzes": permissions.editable_quizzes(request.user), "form": form}
    return render(request, "assignments/quiz_list.html", context)


@login_required
def quiz_detail(request, pk):
    quiz = get_object_or_404(permissions.editable_quizzes(request.user), pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "choices"}
        data["tolerance"] = data["tolerance"] or 0
        data["true_is_correct"] = data["true_is_correct"] is not False
        try:
            question_bank.add_question(
                quiz=quiz, by=request.user, choices=form.parsed_choices(), **data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm câu hỏi."))
            return redirect("assignments:quiz", pk=quiz.pk)
    questions = quiz.questions.prefetch_related("choices")
    context = {"quiz": quiz, "questions": questions, "form": form}
    return render(request, "assignments/quiz_detail.html", context)
