import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone

from assignments import services
from assignments.models import Submission, SubmissionStatus
from notifications.models import Notification
from tests.assignments.conftest import make_assignment, submit


def test_teacher_grades_then_returns_and_status_follows(world, homework):
    submission = submit(homework, world.S1)
    services.grade_submission(
        submission=submission, by=world.T1, score=8, comment="Tốt, cần trình bày rõ hơn"
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.GRADED
    assert submission.score == 8 and submission.graded_by == world.T1
    services.return_submission(submission=submission, by=world.T1)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.returned_at is not None


def test_teacher_of_another_class_cannot_grade(world, homework):
    submission = submit(homework, world.S1)
    with pytest.raises(PermissionDenied):
        services.grade_submission(submission=submission, by=world.T2, score=10)
    with pytest.raises(PermissionDenied):
        services.return_submission(submission=submission, by=world.T3)
    submission.refresh_from_db()
    assert submission.score is None and submission.status == SubmissionStatus.SUBMITTED


def test_student_cannot_grade_their_own_work(world, homework):
    submission = submit(homework, world.S1)
    with pytest.raises(PermissionDenied):
        services.grade_submission(submission=submission, by=world.S1, score=10)


def test_school_admin_may_grade_in_their_school(world, homework):
    submission = submit(homework, world.S1)
    services.grade_submission(submission=submission, by=world.A1, score=7)
    assert Submission.objects.get().score == 7


@pytest.mark.parametrize("score", [-1, 11])
def test_score_outside_the_scale_is_refused(world, homework, score):
    submission = submit(homework, world.S1)
    with pytest.raises(ValidationError) as error:
        services.grade_submission(submission=submission, by=world.T1, score=score)
    assert "score" in error.value.message_dict
    assert Submission.objects.get().score is None


def test_return_before_grading_is_refused(world, homework):
    submission = submit(homework, world.S1)
    with pytest.raises(ValidationError, match=re.escape(str(services.NOT_GRADED_YET))):
        services.return_submission(submission=submission, by=world.T1)


def test_rubric_scores_add_up_to_the_grade(world):
    homework = make_assignment(
        world.T1,
        [world.C1],
        rubric=[
            {"name": "Đáp số", "points": "6"},
            {"name": "Trình bày", "points": "4"},
        ],
    )
    submission = submit(homework, world.S1)
    services.grade_submission(
        submission=submission, by=world.T1, rubric_scores=[5, "3.5"]
    )
    submission.refresh_from_db()
    assert submission.score == pytest.approx(8.5)
    assert submission.rubric_scores == ["5", "3.5"]
    with pytest.raises(ValidationError):
        services.grade_submission(
            submission=submission, by=world.T1, rubric_scores=[7, 1]
        )


def test_return_notifies_the_student_and_their_parents_only(
    world, homework, django_capture_on_commit_callbacks
):
    submission = submit(homework, world.S2)
    services.grade_submission(submission=submission, by=world.T1, score=9)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(submission=submission, by=world.T1)
    recipients = set(
        Notification.objects.filter(event="submission.returned").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.S2.pk, world.P2.pk}


def test_grading_alone_notifies_nobody(
    world, homework, django_capture_on_commit_callbacks
):
    submission = submit(homework, world.S1)
    with django_capture_on_commit_callbacks(execute=True):
        services.grade_submission(submission=submission, by=world.T1, score=9)
    assert not Notification.objects.filter(event="submission.returned").exists()


def test_publishing_notifies_the_class_students_and_their_parents(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_assignment(world.T1, [world.C1])
    recipients = set(
        Notification.objects.filter(event="assignment.published").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.S1.pk, world.S2.pk, world.P1.pk, world.P2.pk}


def test_due_soon_reminds_each_missing_student_once(
    world, django_capture_on_commit_callbacks
):
    homework = make_assignment(
        world.T1, [world.C1], due_at=timezone.now() + timedelta(hours=5)
    )
    make_assignment(world.T1, [world.C1], due_at=timezone.now() + timedelta(days=3))
    submit(homework, world.S2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_due_soon() == 1
        assert services.notify_due_soon() == 0
    recipients = set(
        Notification.objects.filter(event="assignment.due_soon").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.S1.pk, world.P1.pk}


def test_due_soon_management_command_runs_the_service(world):
    from django.core.management import call_command

    make_assignment(world.T1, [world.C1], due_at=timezone.now() + timedelta(hours=2))
    call_command("notify_due_soon")
    call_command("notify_due_soon")
    from assignments.models import DueSoonNotice

    assert DueSoonNotice.objects.count() == 2


def test_teacher_cannot_create_homework_for_a_class_they_do_not_teach(world):
    with pytest.raises(PermissionDenied):
        make_assignment(world.T1, [world.C1, world.C2])


def test_instructions_are_sanitised(world):
    homework = make_assignment(
        world.T1,
        [world.C1],
        instructions='<p onclick="x()">Đọc <a href="javascript:alert(1)">đây</a>'
        "<script>alert(1)</script></p>",
    )
    assert "script" not in homework.instructions
    assert "onclick" not in homework.instructions
    assert "javascript" not in homework.instructions
    assert "Đọc" in homework.instructions


def test_due_date_before_opening_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_assignment(
            world.T1,
            [world.C1],
            opens_at=timezone.now() + timedelta(days=2),
            due_at=timezone.now() + timedelta(days=1),
        )
    assert "due_at" in error.value.message_dict


def test_homework_links_only_to_a_lesson_page(world):
    from wagtail.models import Locale, Page

    from assignments.models.homework import LESSON_NOT_A_LESSON
    from courses.models import Subject
    from courses.services import create_course
    from tests.factories import CourseIndexPageFactory, LessonPageFactory

    # A browser test earlier in the run may have flushed the migrated tree.
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    home = root.add_child(instance=Page(title="Trang chủ", slug="trang-chu-hw"))
    with pytest.raises(ValidationError, match=re.escape(str(LESSON_NOT_A_LESSON))):
        make_assignment(world.T1, [world.C1], lesson=home)
    # Only a lesson T1 may read (one of their course's) is accepted (#11).
    index = CourseIndexPageFactory(parent=home)
    course = create_course(
        index=index, title="Toán 6", subject=Subject.MATH, grade=6, teachers=[world.T1]
    )
    lesson = LessonPageFactory(parent=course)
    homework = make_assignment(world.T1, [world.C1], lesson=lesson)
    assert homework.lesson.specific == lesson


def test_grade_and_return_is_one_transaction(world, homework, monkeypatch):
    submission = submit(homework, world.S1)

    def failing_return(**kwargs):
        raise DatabaseError("the return's write failed")

    monkeypatch.setattr(services, "return_submission", failing_return)
    with pytest.raises(DatabaseError):
        services.grade_submission(
            submission=submission, by=world.T1, score=9, and_return=True
        )
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.score is None and stored.status == SubmissionStatus.SUBMITTED


def test_grade_and_return_in_one_call_tells_the_student(
    world, homework, django_capture_on_commit_callbacks
):
    submission = submit(homework, world.S1)
    with django_capture_on_commit_callbacks(execute=True):
        services.grade_submission(
            submission=submission, by=world.T1, score=9, and_return=True
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.score == 9
    told = set(
        Notification.objects.filter(event="submission.returned").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.S1.pk, world.P1.pk}
