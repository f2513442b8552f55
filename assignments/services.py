"""
Writes for homework: create and publish, submit, grade and return, remind.

The question bank lives in ``assignments.question_bank``, quiz homework
(auto-graded attempts) in ``assignments.quiz_homework``.
"""

import logging
import re
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import NOT_ALLOWED
from classrooms import permissions as classroom_permissions
from classrooms.models import Classroom
from classrooms.selectors import student_and_parent_ids
from courses.selectors import may_use_lesson
from files.uploads import clean_document, clean_photo
from notifications import services as notifications

from . import permissions, uploads
from .deadlines import check_submission_window
from .grades import SCORE_OUT_OF_RANGE, record_grades  # noqa: F401  (re-exported)
from .marks import parse_marks
from .models import (
    Assignment,
    AssignmentAttachment,
    AssignmentKind,
    DueSoonNotice,
    FileKind,
    LatePolicy,
    Quiz,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    SubmissionVersion,
)
from .notices import notify_submission_returned

logger = logging.getLogger(__name__)

MAX_FILES = 10
NO_CLASSROOM = _("Hãy chọn ít nhất một lớp bạn dạy.")
ALREADY_GRADED = _("Bài đã được chấm, không nộp lại được.")
EMPTY_SUBMISSION = _("Hãy viết bài làm hoặc đính kèm ít nhất một ảnh hay tệp.")
TOO_MANY_FILES = _("Chỉ nộp tối đa 10 tệp mỗi lần.")
QUOTA_EXCEEDED = _(
    "Em đã dùng hết chỗ lưu bài nộp (tối đa %(bytes)s và %(files)s tệp). "
    "Bài này chưa được nộp. Hãy báo thầy cô để được giúp."
)
QUIZ_NOT_UPLOAD = _("Bài trắc nghiệm được nộp bằng cách trả lời các câu hỏi.")
NOT_GRADED_YET = _("Hãy chấm điểm trước khi trả bài.")
STORAGE_FAILED = uploads.STORAGE_FAILED
MISSING_KEY = _("Biểu mẫu không hợp lệ, hãy tải lại trang.")
RUBRIC_SCORE_OUT_OF_RANGE = _("Điểm tiêu chí “%(criterion)s” phải từ 0 đến %(points)s.")

DUE_SOON_WINDOW = timedelta(hours=24)

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a",
    "h3", "h4", "blockquote", "code", "pre", "sub", "sup",
}  # fmt: skip


def sanitize_instructions(html: str) -> str:
    """
    Teacher-written rich text, reduced to harmless tags and http(s) links.
    Text with no markup at all (typed where the editor's script did not run)
    is plain text: blank lines start paragraphs, line breaks are kept.
    """
    html = html or ""
    if html.strip() and not _MARKUP.search(html):
        html = _plain_text_html(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_MARKUP = re.compile(r"<[a-zA-Z/!]")


def _plain_text_html(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join(
        "<p>{}</p>".format("<br>".join(map(escape, part.strip().split("\n"))))
        for part in paragraphs
    )


@transaction.atomic
def create_assignment(
    *,
    by: User,
    classrooms: Sequence[Classroom],
    title: str,
    due_at,
    instructions: str = "",
    kind: str = AssignmentKind.UPLOAD,
    quiz: Quiz | None = None,
    lesson=None,
    points: Decimal = Decimal(10),
    rubric: list | None = None,
    opens_at=None,
    late_policy: str = LatePolicy.ACCEPT,
    show_correct_answers: bool = False,
    required_for_late_joiners: bool = False,
    full_size_photos: bool = False,
    attachments: Sequence = (),
    publish: bool = False,
) -> Assignment:
    """Create homework for one or more classes the teacher manages."""
    if not classrooms:
        raise ValidationError({"classrooms": NO_CLASSROOM})
    managed = classroom_permissions.managed_classrooms(by)
    if managed.filter(pk__in=[c.pk for c in classrooms]).count() != len(
        set(c.pk for c in classrooms)
    ):
        raise PermissionDenied(NOT_ALLOWED)
    if quiz is not None and not permissions.editable_quizzes(by).filter(pk=quiz.pk):
        raise PermissionDenied(NOT_ALLOWED)
    assignment = Assignment(
        title=title.strip(),
        instructions=sanitize_instructions(instructions),
        kind=kind,
        quiz=quiz if kind == AssignmentKind.QUIZ else None,
        lesson=lesson,
        points=points,
        rubric=rubric or [],
        opens_at=opens_at,
        due_at=due_at,
        late_policy=late_policy,
        show_correct_answers=show_correct_answers,
        required_for_late_joiners=required_for_late_joiners,
        full_size_photos=full_size_photos,
        created_by=by,
    )
    assignment.full_clean()
    if lesson is not None and not may_use_lesson(by, lesson):
        raise PermissionDenied(NOT_ALLOWED)
    cleaned = uploads.clean_uploads(attachments, clean_document, "attachments")
    assignment.save()
    assignment.classrooms.set(classrooms)
    _save_attachments(assignment, cleaned)
    if publish:
        publish_assignment(assignment=assignment, by=by)
    return assignment


def _save_attachments(assignment: Assignment, cleaned) -> None:
    """Write the files, then their rows; on failure remove the files again."""
    written = uploads.write_files(cleaned, "attachments")
    try:
        for clean, name in zip(cleaned, written, strict=True):
            AssignmentAttachment.objects.create(
                assignment=assignment,
                file=name,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=len(clean.content),
            )
    except Exception:
        uploads.delete_files(written)
        raise


def publish_assignment(
    *, assignment: Assignment, by: User, announce: bool = True
) -> Assignment:
    """
    Give the homework to the classes; students and parents are told unless
    ``announce`` is off (a grade book column for work already done).
    """
    if not permissions.can_manage_assignment(by, assignment):
        raise PermissionDenied(NOT_ALLOWED)
    if assignment.is_published:
        return assignment
    assignment.is_published = True
    assignment.published_at = timezone.now()
    assignment.save(update_fields=["is_published", "published_at"])
    if not announce:
        return assignment
    notifications.notify(
        event=notifications.ASSIGNMENT_PUBLISHED,
        recipients=student_and_parent_ids(classrooms=assignment.classrooms.all()),
        title=_("Bài tập mới: %(title)s") % {"title": assignment.title},
        body=_("Hạn nộp: %(due)s")
        % {"due": timezone.localtime(assignment.due_at).strftime("%H:%M %d/%m/%Y")},
        url=reverse("assignments:detail", args=[assignment.pk]),
    )
    return assignment


def _existing_for_key(assignment, student, key) -> Submission | None:
    version = (
        SubmissionVersion.objects.filter(
            submission__assignment=assignment,
            submission__student=student,
            idempotency_key=key,
        )
        .select_related("submission")
        .first()
    )
    return version.submission if version else None


def _check_can_submit(assignment: Assignment, student: User, now) -> None:
    if not permissions.can_submit(student, assignment):
        raise PermissionDenied(NOT_ALLOWED)
    if assignment.is_quiz:
        raise ValidationError(QUIZ_NOT_UPLOAD)
    check_submission_window(assignment, now=now)
    if (
        Submission.objects.graded()
        .filter(assignment=assignment, student=student)
        .exists()
    ):
        raise ValidationError(ALREADY_GRADED)


def submit_assignment(
    *,
    assignment: Assignment,
    student: User,
    idempotency_key: str,
    text: str = "",
    photos: Sequence = (),
    files: Sequence = (),
    started_at=None,
    pressed_at=None,
) -> Submission:
    """
    Hand in (or hand in again) a piece of work.

    Atomic: the files are written first, then every row in one transaction;
    if anything fails, the written files are deleted, so there is never a
    row without its files nor a file without its row. Idempotent: a retry
    with the same key (double tap, browser retry) returns the first result.
    The deadline rule (docs/security-tests.md RL-09): a hard deadline
    accepts work whose request *started* before it (``started_at``, the
    server's stamp from ``files.arrival``), and such work is flagged late,
    as is anything that arrives after the due time; the teacher sees both
    times. Only the server's clock decides.
    """
    now = timezone.now()
    started_at = min(started_at or now, now)
    if pressed_at is not None and pressed_at > now:
        pressed_at = None
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValidationError(MISSING_KEY)
    existing = _existing_for_key(assignment, student, key)
    if existing is not None:
        return existing
    _check_can_submit(assignment, student, started_at)
    text = (text or "").strip()
    if len(photos) + len(files) > MAX_FILES:
        raise ValidationError({"photos": TOO_MANY_FILES})
    if not text and not photos and not files:
        raise ValidationError({"text": EMPTY_SUBMISSION})
    cleaned = uploads.clean_uploads(photos, clean_photo, "photos")
    cleaned += uploads.clean_uploads(files, clean_document, "files")
    written = uploads.write_files(cleaned, "submissions")
    try:
        submission = _save_version(
            assignment,
            student,
            key,
            text,
            (started_at, pressed_at, now),
            cleaned,
            written,
        )
    except IntegrityError:
        # A concurrent retry with the same key won the race.
        uploads.delete_files(written)
        existing = _existing_for_key(assignment, student, key)
        if existing is None:
            raise
        return existing
    except BaseException:
        uploads.delete_files(written)
        raise
    return submission


@transaction.atomic
def _save_version(
    assignment, student, key, text, times, cleaned, written
) -> Submission:
    started_at, pressed_at, now = times
    _check_quota(student, cleaned)
    is_late = assignment.is_past_due(now)
    submission, created = Submission.objects.get_or_create(
        assignment=assignment,
        student=student,
        defaults={"submitted_at": now, "is_late": is_late},
    )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not created and submission.is_graded:
        raise ValidationError(ALREADY_GRADED)
    last = submission.versions.order_by("-number").values_list("number", flat=True)
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=(last.first() or 0) + 1,
        text=text,
        is_late=is_late,
        idempotency_key=key,
        started_at=started_at,
        pressed_at=pressed_at,
    )
    SubmissionFile.objects.bulk_create(
        SubmissionFile(
            version=version,
            file=name,
            kind=FileKind.PHOTO if clean.is_photo else FileKind.DOCUMENT,
            original_name=clean.original_name,
            content_type=clean.content_type,
            size=len(clean.content),
            width=clean.width,
            height=clean.height,
            position=position,
        )
        for position, (clean, name) in enumerate(zip(cleaned, written, strict=True))
    )
    submission.submitted_at = now
    submission.is_late = is_late
    submission.status = SubmissionStatus.LATE if is_late else SubmissionStatus.SUBMITTED
    submission.save(update_fields=["submitted_at", "is_late", "status"])
    return submission


def _check_quota(student: User, cleaned) -> None:
    """
    Refuse work that would take the pupil past their share of the storage
    (UP-09). The pupil's row is locked first, so two uploads at once by one
    pupil are counted one after the other; other pupils never wait on it.
    """
    if not cleaned:
        return
    User.objects.select_for_update().filter(pk=student.pk).first()
    used = SubmissionFile.objects.filter(
        version__submission__student=student
    ).aggregate(files=Count("pk"), bytes=Sum("size"))
    files = used["files"] + len(cleaned)
    size = (used["bytes"] or 0) + sum(len(clean.content) for clean in cleaned)
    if (
        files > settings.LOPHOC_UPLOAD_QUOTA_FILES
        or size > settings.LOPHOC_UPLOAD_QUOTA_BYTES
    ):
        raise ValidationError(
            {
                "photos": ValidationError(
                    QUOTA_EXCEEDED,
                    code="quota",
                    params={
                        "bytes": filesizeformat(settings.LOPHOC_UPLOAD_QUOTA_BYTES),
                        "files": settings.LOPHOC_UPLOAD_QUOTA_FILES,
                    },
                )
            }
        )


def _rubric_total(assignment: Assignment, rubric_scores: Sequence) -> Decimal:
    total = Decimal(0)
    for criterion, value in zip(assignment.rubric, rubric_scores, strict=True):
        maximum = Decimal(str(criterion["points"]))
        if value is None or not (0 <= Decimal(value) <= maximum):
            raise ValidationError(
                {
                    "score": ValidationError(
                        RUBRIC_SCORE_OUT_OF_RANGE,
                        params={"criterion": criterion["name"], "points": maximum},
                    )
                }
            )
        total += Decimal(value)
    return total


@transaction.atomic
def grade_submission(
    *,
    submission: Submission,
    by: User,
    score: Decimal | None = None,
    comment: str = "",
    rubric_scores: Sequence | None = None,
    marks: str = "",
    and_return: bool = False,
) -> Submission:
    """
    Record a score and a comment; the student sees them once returned. With
    ``and_return`` the grade is also returned, in the same transaction: if
    returning fails, the grade is not saved either. ``marks`` is the JSON the
    grading viewer sends (``assignments.marks``): each photo's turn and the
    marks drawn on it, saved with the grade or not at all.
    """
    if not permissions.can_grade(by, submission):
        raise PermissionDenied(NOT_ALLOWED)
    photos = {
        photo.pk: photo
        for photo in SubmissionFile.objects.filter(
            version__submission=submission, kind=FileKind.PHOTO
        )
    }
    drawn = parse_marks(marks, photos)
    assignment = submission.assignment
    if rubric_scores and assignment.rubric:
        score = _rubric_total(assignment, rubric_scores)
        submission.rubric_scores = [str(Decimal(v)) for v in rubric_scores]
    if score is None or not (0 <= score <= assignment.points):
        raise ValidationError(
            {
                "score": ValidationError(
                    SCORE_OUT_OF_RANGE, params={"points": assignment.points}
                )
            }
        )
    submission.score = score
    submission.comment = (comment or "").strip()
    submission.graded_by = by
    submission.graded_at = timezone.now()
    if submission.status != SubmissionStatus.RETURNED:
        submission.status = SubmissionStatus.GRADED
    submission.full_clean()
    submission.save()
    for pk, photo_marks in drawn.items():
        photos[pk].rotation = photo_marks.rotation
        photos[pk].marks = photo_marks.marks
    SubmissionFile.objects.bulk_update(
        [photos[pk] for pk in drawn], ["rotation", "marks"]
    )
    if and_return:
        return_submission(submission=submission, by=by)
    return submission


def return_submission(*, submission: Submission, by: User) -> Submission:
    """Release the grade and comment to the student and their parents."""
    if not permissions.can_grade(by, submission):
        raise PermissionDenied(NOT_ALLOWED)
    if submission.score is None:
        raise ValidationError(NOT_GRADED_YET)
    submission.status = SubmissionStatus.RETURNED
    submission.returned_at = timezone.now()
    submission.save(update_fields=["status", "returned_at"])
    notify_submission_returned(submission)
    return submission


def notify_due_soon(*, now=None) -> int:
    """
    Remind students (and their parents) of homework due within 24 hours that
    they have not handed in. Each student is reminded once per assignment,
    however often this runs. Returns the number of students reminded.
    """
    now = now or timezone.now()
    reminded = 0
    due = Assignment.objects.opened(now).due_between(now, now + DUE_SOON_WINDOW)
    for assignment in due.prefetch_related("classrooms"):
        students = (
            User.objects.filter(
                enrollments__classroom__in=assignment.classrooms.all(), is_active=True
            )
            .exclude(submissions__assignment=assignment)
            .distinct()
        )
        for student in students:
            with transaction.atomic():
                _notice, created = DueSoonNotice.objects.get_or_create(
                    assignment=assignment, student=student
                )
                if not created:
                    continue
                notifications.notify(
                    event=notifications.ASSIGNMENT_DUE_SOON,
                    recipients=student_and_parent_ids(students=[student]),
                    title=_("Sắp hết hạn nộp: %(title)s") % {"title": assignment},
                    url=reverse("assignments:detail", args=[assignment.pk]),
                )
                reminded += 1
    return reminded
