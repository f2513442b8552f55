"""Grades earned outside an upload, recorded straight into the gradebook."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assignments import grades, selectors, services
from assignments.models import Submission, SubmissionStatus
from notifications.models import Notification
from tests.assignments.conftest import make_assignment, submit


def _returned_to(user_ids):
    return sorted(
        Notification.objects.filter(event="submission.returned").values_list(
            "recipient_id", flat=True
        )
    ) == sorted(user_ids)


def test_recorded_grades_are_returned_and_notify_students_and_parents(
    world, homework, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_grades(
            assignment=homework,
            scores={world.S1.pk: Decimal("7.5"), world.S2.pk: 4},
            by=world.T1,
            comment="Trắc nghiệm trên lớp",
        )
    rows = {s.student_id: s for s in Submission.objects.filter(assignment=homework)}
    assert rows[world.S1.pk].score == Decimal("7.5")
    assert rows[world.S2.pk].score == Decimal(4)
    assert {s.status for s in rows.values()} == {SubmissionStatus.RETURNED}
    assert rows[world.S1.pk].graded_by == world.T1
    assert rows[world.S1.pk].comment == "Trắc nghiệm trên lớp"
    assert _returned_to([world.S1.pk, world.P1.pk, world.S2.pk, world.P2.pk])


def test_recording_again_updates_in_place_and_notifies_only_changes(
    world, homework, django_capture_on_commit_callbacks
):
    services.record_grades(
        assignment=homework, scores={world.S1.pk: 5, world.S2.pk: 6}, by=world.T1
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.record_grades(
            assignment=homework, scores={world.S1.pk: 9, world.S2.pk: 6}, by=world.T1
        )
    assert [s.student_id for s in changed] == [world.S1.pk]
    assert Submission.objects.filter(assignment=homework).count() == 2
    assert Submission.objects.get(assignment=homework, student=world.S1).score == 9
    assert _returned_to([world.S1.pk, world.P1.pk])


def test_recorded_grade_overrides_an_uploaded_submission(world, homework):
    uploaded = submit(homework, world.S1)
    services.record_grades(assignment=homework, scores={world.S1.pk: 8}, by=world.T1)
    uploaded.refresh_from_db()
    assert uploaded.score == 8 and uploaded.status == SubmissionStatus.RETURNED
    assert uploaded.versions.count() == 1


@pytest.mark.parametrize("score", [Decimal("10.01"), -1, "NaN", "mười"])
def test_score_outside_the_scale_changes_nothing(world, homework, score):
    message = grades.SCORE_OUT_OF_RANGE % {"points": homework.points}
    with pytest.raises(ValidationError, match=re.escape(str(message))):
        services.record_grades(
            assignment=homework,
            scores={world.S1.pk: 5, world.S2.pk: score},
            by=world.T1,
        )
    assert not Submission.objects.filter(assignment=homework).exists()


def test_student_of_another_class_is_refused_and_nothing_changes(world, homework):
    with pytest.raises(ValidationError, match=re.escape(str(grades.NOT_IN_CLASS))):
        services.record_grades(
            assignment=homework, scores={world.S1.pk: 5, world.S3.pk: 5}, by=world.T1
        )
    with pytest.raises(ValidationError, match=re.escape(str(grades.NOT_IN_CLASS))):
        services.record_grades(
            assignment=homework, scores={world.P1.pk: 5}, by=world.T1
        )
    assert not Submission.objects.filter(assignment=homework).exists()


@pytest.mark.parametrize("who", ["T2", "T3", "S1", "P1"])
def test_only_a_teacher_of_the_class_may_record(world, homework, who):
    with pytest.raises(PermissionDenied):
        services.record_grades(
            assignment=homework, scores={world.S1.pk: 5}, by=getattr(world, who)
        )
    assert not Submission.objects.filter(assignment=homework).exists()


def test_unpublished_assignment_is_refused(world):
    draft = make_assignment(world.T1, [world.C1], publish=False)
    with pytest.raises(ValidationError, match=re.escape(str(grades.NOT_PUBLISHED))):
        services.record_grades(assignment=draft, scores={world.S1.pk: 5}, by=world.T1)


def test_recorded_grades_appear_in_the_gradebook(world, homework):
    services.record_grades(assignment=homework, scores={world.S1.pk: 6}, by=world.T1)
    book = selectors.gradebook_for_classroom(world.C1)
    column = book.assignments.index(homework)
    cells = {row["student"].pk: row["cells"][column] for row in book.rows}
    assert cells[world.S1.pk] == {"score": Decimal(6), "submitted": True}
    assert cells[world.S2.pk]["score"] is None
    assert book.averages[column] == Decimal(6)


def test_student_and_parent_see_the_recorded_grade(world, homework, client):
    services.record_grades(assignment=homework, scores={world.S1.pk: 6}, by=world.T1)
    submission = Submission.objects.get(assignment=homework, student=world.S1)
    returned = selectors.assignment_list_for_student(world.S1)["returned"]
    assert [row["submission"] for row in returned] == [submission]
    for viewer in (world.S1, world.P1):
        client.force_login(viewer)
        response = client.get(reverse("assignments:submission", args=[submission.pk]))
        assert response.status_code == 200
        assert response.context["show_grade"] is True
        assert "<strong>6</strong>" in response.content.decode()
    client.force_login(world.S2)
    response = client.get(reverse("assignments:submission", args=[submission.pk]))
    assert response.status_code == 404


def test_publishing_without_announcement_notifies_nobody(
    world, django_capture_on_commit_callbacks
):
    draft = make_assignment(world.T1, [world.C1], publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_assignment(assignment=draft, by=world.T1, announce=False)
    draft.refresh_from_db()
    assert draft.is_published
    assert not Notification.objects.filter(event="assignment.published").exists()
