"""
The orphan cleanup deletes only files no row refers to: it keeps every
referenced file of every model that stores files in the private storage.
"""

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assignments.models import AssignmentAttachment, PhotoRendition, SubmissionFile
from classrooms.announcements import post_announcement
from classrooms.models import Announcement
from classrooms.services import enroll_student
from files.cleanup import delete_orphan_files, private_file_fields
from files.storage import private_storage
from live.models import LiveRecording
from tests.assignments.conftest import make_assignment, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TWO_HOURS = 2 * 60 * 60


def on_disk(name: str) -> Path:
    return Path(private_storage.path(name))


def age(path: Path, seconds: int = TWO_HOURS) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def stray_file(name: str, *, old: bool = True) -> Path:
    path = on_disk(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    if old:
        age(path)
    return path


def test_cleanup_keeps_an_old_announcement_attachment(classroom, teacher):
    announcement = post_announcement(
        classroom=classroom,
        author=teacher,
        title="Lịch thi học kỳ",
        attachment=SimpleUploadedFile("lich-thi.pdf", PDF, "application/pdf"),
    )
    path = on_disk(announcement.attachment.name)
    age(path)

    call_command("delete_orphan_files", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert path.exists()


def test_cleanup_deletes_an_old_orphan_in_any_folder():
    orphans = [
        stray_file("announcements/2020/01/orphan.pdf"),
        stray_file("submissions/2020/01/orphan.jpg"),
        stray_file("anything-else.bin"),
    ]
    call_command("delete_orphan_files", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not any(path.exists() for path in orphans)


def test_cleanup_removes_old_orphans_and_keeps_referenced_and_recent_files(
    classroom, teacher, student
):
    enroll_student(classroom=classroom, student=student)
    homework = make_assignment(
        teacher,
        [classroom],
        attachments=[SimpleUploadedFile("phieu.pdf", PDF, "application/pdf")],
    )
    kept = [
        on_disk(submit(homework, student).versions.get().files.get().file.name),
        on_disk(homework.attachments.get().file.name),
    ]
    for path in kept:
        age(path)
    old_orphan = stray_file("submissions/2020/01/orphan.jpg")
    new_orphan = stray_file("submissions/2020/01/in-flight.jpg", old=False)

    call_command("delete_orphan_files", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not old_orphan.exists()
    assert new_orphan.exists() and all(path.exists() for path in kept)


def test_every_private_file_field_is_found():
    assert set(private_file_fields()) == {
        (Announcement, "attachment"),
        (AssignmentAttachment, "file"),
        (SubmissionFile, "file"),
        (PhotoRendition, "file"),
        (LiveRecording, "file"),
    }


def test_cleanup_with_no_private_folder_yet_deletes_nothing():
    assert not Path(private_storage.location).exists()
    assert delete_orphan_files() == 0


def test_the_live_rooms_audio_chunks_are_never_taken_for_orphans():

    name = private_storage.save(
        "live-audio/1/chunks/0-0.bin", SimpleUploadedFile("c", b"A")
    )
    old = time.time() - 3 * 3600
    os.utime(private_storage.path(name), (old, old))
    assert delete_orphan_files() == 0
    assert private_storage.exists(name)
