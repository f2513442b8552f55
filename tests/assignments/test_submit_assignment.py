import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assignments import deadlines, services
from assignments.models import (
    LatePolicy,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    SubmissionVersion,
)
from files import uploads
from files.storage import PrivateStorage, private_storage
from tests.assignments.conftest import make_assignment, photo, submit, upload
from tests.files.test_uploads import png_header_only


def stored_files() -> list[Path]:
    root = Path(private_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_submission_stores_a_version_with_text_and_files(world, homework):
    submission = submit(
        homework,
        world.S1,
        text="Bài 1: x = 2",
        photos=[photo("a.jpg"), photo("b.png", fmt="PNG")],
        files=[upload("bai.pdf", b"%PDF-1.4\nhello", "application/pdf")],
    )
    version = submission.versions.get()
    assert version.text == "Bài 1: x = 2"
    assert submission.status == SubmissionStatus.SUBMITTED
    assert [f.kind for f in version.files.all()] == ["photo", "photo", "document"]
    assert len(stored_files()) == 3


def test_files_are_stored_privately_under_generated_names(world, homework):
    submission = submit(homework, world.S1, photos=[photo("../../../etc/passwd.jpg")])
    stored = submission.versions.get().files.get()
    assert stored.original_name == "passwd.jpg"
    assert "passwd" not in stored.file.name
    assert re.fullmatch(r"submissions/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored.file.name)
    assert isinstance(stored.file.storage, PrivateStorage)
    with pytest.raises(ValueError):
        stored.file.url  # noqa: B018 - no public URL exists


def test_resubmission_before_deadline_keeps_every_version(world, homework):
    submit(homework, world.S1, text="lần 1")
    submission = submit(homework, world.S1, text="lần 2")
    assert Submission.objects.count() == 1
    assert [v.text for v in submission.versions.all()] == ["lần 2", "lần 1"]
    assert [v.number for v in submission.versions.all()] == [2, 1]


def test_same_idempotency_key_twice_gives_one_submission_and_one_version(
    world, homework
):
    first = submit(homework, world.S1, key="tap-1", text="bài")
    again = submit(homework, world.S1, key="tap-1", text="bài")
    assert again.pk == first.pk
    assert SubmissionVersion.objects.count() == 1
    assert SubmissionFile.objects.count() == 1
    assert len(stored_files()) == 1


def test_storage_failure_midway_leaves_no_row_and_no_file(world, homework, monkeypatch):
    real_save = PrivateStorage.save
    calls = {"n": 0}

    def flaky_save(self, name, content, max_length=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(PrivateStorage, "save", flaky_save)
    with pytest.raises(ValidationError, match=re.escape(str(services.STORAGE_FAILED))):
        submit(
            homework, world.S1, photos=[photo("1.jpg"), photo("2.jpg"), photo("3.jpg")]
        )
    assert Submission.objects.count() == 0
    assert SubmissionFile.objects.count() == 0
    assert stored_files() == []


def test_database_failure_after_files_written_removes_the_files(
    world, homework, monkeypatch
):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SubmissionFile.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        submit(homework, world.S1, photos=[photo("1.jpg"), photo("2.jpg")])
    assert Submission.objects.count() == 0
    assert SubmissionVersion.objects.count() == 0
    assert stored_files() == []


def test_retry_after_failure_with_same_key_makes_exactly_one_submission(
    world, homework, monkeypatch
):
    real_save = PrivateStorage.save
    monkeypatch.setattr(
        PrivateStorage, "save", lambda *a, **k: (_ for _ in ()).throw(OSError())
    )
    with pytest.raises(ValidationError):
        submit(homework, world.S1, key="retry-me")
    monkeypatch.setattr(PrivateStorage, "save", real_save)
    submit(homework, world.S1, key="retry-me")
    submit(homework, world.S1, key="retry-me")
    assert SubmissionVersion.objects.count() == 1
    assert len(stored_files()) == 1


def test_fake_jpg_is_refused_next_to_the_photo_field_and_nothing_saved(world, homework):
    with pytest.raises(ValidationError) as error:
        submit(
            homework,
            world.S1,
            text="giữ lại",
            photos=[upload("x.jpg", b"not an image")],
        )
    assert "photos" in error.value.message_dict
    assert Submission.objects.count() == 0 and stored_files() == []


def test_one_bad_file_among_good_ones_saves_nothing(world, homework):
    with pytest.raises(ValidationError):
        submit(homework, world.S1, photos=[photo(), upload("x.jpg", b"GIF89a....")])
    assert Submission.objects.count() == 0 and stored_files() == []


def test_more_than_ten_files_are_refused(world, homework):
    with pytest.raises(ValidationError, match=re.escape(str(services.TOO_MANY_FILES))):
        submit(homework, world.S1, photos=[photo(f"{i}.jpg") for i in range(11)])
    assert Submission.objects.count() == 0


def test_empty_submission_is_refused(world, homework):
    with pytest.raises(ValidationError) as error:
        submit(homework, world.S1, photos=[], text="   ")
    assert "text" in error.value.message_dict


def test_submission_after_hard_deadline_is_refused(world):
    homework = make_assignment(world.T1, [world.C1], late_policy=LatePolicy.REFUSE)
    with time_machine.travel(homework.due_at + timedelta(seconds=1)):
        with pytest.raises(
            ValidationError, match=re.escape(str(deadlines.PAST_HARD_DEADLINE))
        ):
            submit(homework, world.S1)
    assert Submission.objects.count() == 0 and stored_files() == []


def test_late_submission_is_accepted_and_marked_late(world, homework):
    with time_machine.travel(homework.due_at + timedelta(hours=1)):
        submission = submit(homework, world.S1)
    assert submission.is_late and submission.status == SubmissionStatus.LATE
    assert Submission.objects.late().get() == submission


def test_submission_before_opening_is_refused(world):
    homework = make_assignment(
        world.T1,
        [world.C1],
        opens_at=timezone.now() + timedelta(hours=1),
        due_at=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        submit(homework, world.S1)


def test_student_of_another_class_cannot_submit(world, homework):
    with pytest.raises(PermissionDenied):
        submit(homework, world.S3)
    assert Submission.objects.count() == 0


def test_unpublished_homework_cannot_be_submitted(world):
    draft = make_assignment(world.T1, [world.C1], publish=False)
    with pytest.raises(PermissionDenied):
        submit(draft, world.S1)


def test_graded_work_cannot_be_resubmitted(world, homework):
    submission = submit(homework, world.S1)
    services.grade_submission(submission=submission, by=world.T1, score=8)
    with pytest.raises(ValidationError, match=re.escape(str(services.ALREADY_GRADED))):
        submit(homework, world.S1)
    assert submission.versions.count() == 1


def test_photo_bomb_is_refused_through_the_service(world, homework):
    with pytest.raises(ValidationError) as error:
        submit(
            homework, world.S1, photos=[upload("b.png", png_header_only(20000, 20000))]
        )
    assert error.value.message_dict["photos"] == [
        str(uploads.IMAGE_TOO_LARGE) % {"name": "b.png", "limit": 16}
    ]
    assert Submission.objects.count() == 0
