"""
Homework pages. Each view parses input, asks ``permissions`` for the object
(404 when not allowed), calls one service or selector and renders.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from classrooms.permissions import managed_classrooms
from files import arrival
from files.serving import private_file_response

from . import (
    exports,
    marks,
    permissions,
    quiz_homework,
    renditions,
    selectors,
    services,
    tickets,
)
from .forms import AssignmentForm, GradeForm, SubmissionForm

# What the homework page's script says while it sends the work (upload.js).
UPLOAD_TEXT = {
    "preparing": gettext_lazy("Đang chuẩn bị ảnh…"),
    "sending": gettext_lazy("Đang gửi"),
    "progress": gettext_lazy("%(sent)s / %(total)s · còn khoảng %(eta)s giây"),
    "failed": gettext_lazy("Không gửi được"),
    "queued": gettext_lazy("Đang chờ gửi"),
    "queued_detail": gettext_lazy(
        "Chưa có mạng. Bài được giữ trên máy này và sẽ tự gửi khi có mạng trở "
        "lại, kể cả khi em đã đóng trang."
    ),
    "offline": gettext_lazy("Mất kết nối mạng. Bài chưa được nộp."),
    "too_large": gettext_lazy("Bài gửi quá lớn. Hãy bớt ảnh hoặc tệp."),
    "expired": gettext_lazy("Phiên đăng nhập đã hết. Hãy tải lại trang rồi nộp lại."),
    "server": gettext_lazy("Máy chủ đang bận. Bài chưa được nộp, hãy gửi lại."),
}


def add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def require_teacher(user) -> None:
    if not (user.is_teacher or user.is_school_admin):
        raise Http404


@login_required
@never_cache
def assignment_list(request):
    user = request.user
    if user.is_student:
        context = {"groups": selectors.assignment_list_for_student(user)}
        return render(request, "assignments/student_list.html", context)
    if user.is_parent:
        context = {"children": selectors.assignment_list_for_children(user)}
        return render(request, "assignments/parent_list.html", context)
    context = {
        "assignments": selectors.assignment_list_for_teacher(user),
        "classrooms": managed_classrooms(user),
    }
    return render(request, "assignments/teacher_list.html", context)


@login_required
def assignment_create(request):
    require_teacher(request.user)
    form = AssignmentForm(
        request.POST or None,
        request.FILES or None,
        classrooms=managed_classrooms(request.user),
        quizzes=permissions.editable_quizzes(request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assignment = services.create_assignment(by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã tạo bài tập."))
            return redirect("assignments:queue", pk=assignment.pk)
    return render(request, "assignments/assignment_form.html", {"form": form})


@require_POST
@login_required
def assignment_publish(request, pk):
    assignment = get_object_or_404(permissions.managed_assignments(request.user), pk=pk)
    services.publish_assignment(assignment=assignment, by=request.user)
    messages.success(request, _("Đã giao bài cho lớp."))
    return redirect("assignments:queue", pk=assignment.pk)


@login_required
@never_cache
def assignment_detail(request, pk):
    assignment = get_object_or_404(permissions.visible_assignments(request.user), pk=pk)
    if permissions.can_manage_assignment(request.user, assignment):
        return redirect("assignments:queue", pk=pk)
    submission = (
        permissions.visible_submissions(request.user)
        .filter(assignment=assignment, student=request.user)
        .first()
    )
    form = SubmissionForm(request.POST or None, request.FILES or None)
    # The homework page's script sends the form itself (photos shrunk, a
    # progress bar) and asks for JSON; without JavaScript it is a plain form.
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            submission = services.submit_assignment(
                assignment=assignment,
                student=request.user,
                started_at=arrival.started_at(request),
                **form.cleaned_data,
            )
        except PermissionDenied:
            raise Http404
        except ValidationError as error:
            if wants_json:
                return JsonResponse(
                    {"state": "failed", "errors": error.messages}, status=400
                )
            if form.is_bound and not form.errors:
                add_errors(form, error)
        else:
            if wants_json:
                return JsonResponse(_handed_in(submission))
            messages.success(request, _handed_in(submission)["message"])
            return redirect("assignments:detail", pk=pk)
    context = {
        "assignment": assignment,
        "submission": submission,
        "form": form,
        "upload_text": UPLOAD_TEXT,
    }
    if request.user.is_student:
        context["ticket"] = tickets.issue_ticket(
            student=request.user,
            assignment_id=assignment.pk,
            key=form["idempotency_key"].value(),
        )
    if assignment.is_quiz and submission is None:
        context["questions"] = quiz_homework.question_list_for_student(assignment.quiz)
    return render(request, "assignments/assignment_detail.html", context)


def _handed_in(submission) -> dict:
    """What the page is told once the work is committed."""
    at = date_format(timezone.localtime(submission.submitted_at), "H:i d/m/Y")
    return {
        "state": "submitted",
        "submitted_at": submission.submitted_at.isoformat(),
        "message": _("Đã nộp lúc %(time)s. Giáo viên sẽ chấm và trả bài.")
        % {"time": at},
        "url": reverse("assignments:submission", args=[submission.pk]),
    }


def _pressed_at(raw: str, ticket) -> datetime | None:
    """The phone's "Nộp" time, if it is a time between the ticket and now."""
    pressed = parse_datetime(raw or "")
    if pressed is None or timezone.is_naive(pressed):
        return None
    issued = datetime.fromtimestamp(ticket.issued_at, tz=UTC)
    return pressed if issued - timedelta(minutes=5) <= pressed else None


@require_POST
@never_cache
def queued_submit(request, pk):
    """
    Work sent from the phone's queue (js/assignments/queue.js): its upload
    ticket, not whoever is signed in now, says which pupil hands it in
    (assignments.tickets). Answers JSON; a refusal is final for that item.
    """
    language = request.POST.get("lang")
    if language in dict(settings.LANGUAGES):
        # In the page's language: the child may be signed out by now.
        with translation.override(language):
            return queued_submit_answer(request, pk)
    return queued_submit_answer(request, pk)


def queued_submit_answer(request, pk):
    form = SubmissionForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        ticket = tickets.read_ticket(
            request.POST.get("ticket", ""),
            assignment_id=pk,
            key=form.cleaned_data["idempotency_key"],
        )
        assignment = get_object_or_404(
            permissions.visible_assignments(ticket.student), pk=pk
        )
        submission = services.submit_assignment(
            assignment=assignment,
            student=ticket.student,
            started_at=arrival.started_at(request),
            pressed_at=_pressed_at(request.POST.get("pressed_at"), ticket),
            **form.cleaned_data,
        )
    except (PermissionDenied, Http404):
        refusal = [str(tickets.NOT_ALLOWED)]
        return JsonResponse({"state": "failed", "errors": refusal}, status=400)
    except ValidationError as error:
        return JsonResponse({"state": "failed", "errors": error.messages}, status=400)
    return JsonResponse(_handed_in(submission))


@login_required
@never_cache
def grading_queue(request, pk):
    assignment = get_object_or_404(permissions.managed_assignments(request.user), pk=pk)
    queue = selectors.grading_queue(request.user, assignment)
    context = {"assignment": assignment, "queue": queue, "counts": queue.counts()}
    return render(request, "assignments/grading_queue.html", context)


TO_GRADE_PER_PAGE = 25


@login_required
@never_cache
def to_grade(request):
    """Every submission waiting for this grader, oldest first, paged."""
    require_teacher(request.user)
    waiting = selectors.submissions_to_grade(request.user)
    page = Paginator(waiting, TO_GRADE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assignments/to_grade.html", {"page": page})


@login_required
@never_cache
def submission_detail(request, pk):
    submission = get_object_or_404(permissions.visible_submissions(request.user), pk=pk)
    if not permissions.can_grade(request.user, submission):
        return render(
            request,
            "assignments/submission_student.html",
            {
                "submission": selectors.get_submission_for_grading(submission),
                "show_grade": permissions.can_see_grade(request.user, submission),
            },
        )
    return _grade(request, submission)


def _grade(request, submission):
    rubric = submission.assignment.rubric
    form = GradeForm(
        request.POST or None, rubric=rubric, initial=_grade_initial(submission)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_submission(
                submission=submission,
                by=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                rubric_scores=form.rubric_scores(),
                marks=form.cleaned_data["marks"],
                and_return="return" in request.POST,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu điểm."))
            return redirect("assignments:submission", pk=submission.pk)
    queue = selectors.grading_queue(request.user, submission.assignment)
    previous_id, next_id = queue.neighbours(submission.pk)
    submission = selectors.get_submission_for_grading(submission)
    context = {
        "submission": submission,
        "form": form,
        "previous_id": previous_id,
        "next_id": next_id,
        "photo_marks": _photo_marks(submission, request.POST.get("marks", "")),
    }
    return render(request, "assignments/submission_grade.html", context)


def _photo_marks(submission, posted: str) -> dict:
    """
    The viewer's starting marks: those saved, or those just sent when the
    grade was refused for another reason (so the grader's drawing is kept).
    """
    photos = [
        stored
        for version in submission.versions.all()
        for stored in version.files.all()
        if stored.is_photo
    ]
    current = {str(p.pk): {"r": p.rotation, "m": p.marks} for p in photos}
    try:
        sent = marks.parse_marks(posted, [p.pk for p in photos])
    except ValidationError:
        sent = {}
    for pk, photo in sent.items():
        current[str(pk)] = {"r": photo.rotation, "m": photo.marks}
    return current


def _grade_initial(submission) -> dict:
    initial = {"score": submission.score, "comment": submission.comment}
    for i, value in enumerate(submission.rubric_scores or []):
        initial[f"rubric_{i}"] = value
    return initial


@require_POST
@login_required
def submission_return(request, pk):
    submission = get_object_or_404(
        permissions.gradeable_submissions(request.user), pk=pk
    )
    try:
        services.return_submission(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã trả bài cho học sinh."))
    return redirect("assignments:submission", pk=pk)


@require_POST
@login_required
def quiz_submit(request, pk):
    assignment = get_object_or_404(permissions.visible_assignments(request.user), pk=pk)
    answers = {
        key.removeprefix("q"): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q")
    }
    answers = {k: (v if len(v) > 1 else v[0]) for k, v in answers.items()}
    try:
        attempt = quiz_homework.submit_quiz_attempt(
            assignment=assignment, student=request.user, answers=answers
        )
    except PermissionDenied:
        raise Http404
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("assignments:detail", pk=pk)
    return redirect("assignments:submission", pk=attempt.submission_id)


def _serve(request, stored, as_attachment: bool):
    response = private_file_response(
        request,
        stored.file,
        content_type=stored.content_type,
        as_attachment=as_attachment,
        filename=stored.original_name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def submission_file(request, pk):
    """Anonymous users get the same 404 as everyone not allowed (AZ-02)."""
    stored = get_object_or_404(
        permissions.visible_submission_files(request.user), pk=pk
    )
    as_attachment = "download" in request.GET or not stored.is_photo
    size = renditions.SIZES.get(request.GET.get("size", ""))
    if size and not as_attachment:
        field_file, content_type = renditions.rendition_file(stored, size)
        response = private_file_response(request, field_file, content_type=content_type)
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
    return _serve(request, stored, as_attachment)


def attachment_file(request, pk):
    stored = get_object_or_404(permissions.visible_attachments(request.user), pk=pk)
    return _serve(request, stored, as_attachment=True)


@login_required
@never_cache
def gradebook(request, classroom_id):
    classroom = get_object_or_404(managed_classrooms(request.user), pk=classroom_id)
    book = selectors.gradebook_for_classroom(classroom)
    return render(request, "assignments/gradebook.html", {"book": book})


@login_required
def gradebook_export(request, classroom_id, fmt):
    classroom = get_object_or_404(managed_classrooms(request.user), pk=classroom_id)
    book = selectors.gradebook_for_classroom(classroom)
    if fmt == "csv":
        body, content_type = exports.gradebook_csv(book), "text/csv; charset=utf-8"
    else:
        body = exports.gradebook_xlsx(book)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"bang-diem-{classroom.name}.{fmt}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
