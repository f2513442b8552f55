"""
The whole homework loop in a real browser: a teacher creates homework, a
student on a 360×740 phone uploads a photo, the teacher grades and returns
it, and the student sees the grade and the comment.
"""

import pytest
from PIL import Image

from assignments.models import Submission, SubmissionStatus
from classrooms.services import enroll_student
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo_path(tmp_path):
    path = tmp_path / "bai-lam-cua-em.jpg"
    Image.new("RGB", (1600, 1200), (240, 240, 230)).save(path, "JPEG")
    return path


def test_homework_loop_from_creation_to_returned_grade(
    live_server, desktop_page, phone_page, log_in, photo_path
):
    teacher = TeacherFactory(display_name="Cô Nguyễn Thu Hà")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    student = StudentFactory(display_name="Trần Minh Khoa")
    enroll_student(classroom=classroom, student=student)

    # The teacher creates and publishes homework for 6A.
    teacher_page = desktop_page
    log_in(teacher_page, teacher.username, TEST_PASSWORD)
    teacher_page.goto(f"{live_server.url}/homework/new/")
    teacher_page.fill("#id_title", "Bài tập phân số tuần 5")
    teacher_page.check(f"input[name=classrooms][value='{classroom.pk}']")
    teacher_page.click(".rich-text__editor")
    teacher_page.keyboard.type("Làm bài 1 đến 4, chụp ảnh vở.")
    teacher_page.fill("#id_due_at", "2030-06-01T20:00")
    teacher_page.click("form.form button[type=submit]")
    teacher_page.wait_for_url("**/grading/")
    assert "Trần Minh Khoa" in teacher_page.content()

    # The student, on a phone, opens it and uploads a photo from the camera.
    log_in(phone_page, student.username, TEST_PASSWORD)
    phone_page.goto(f"{live_server.url}/homework/")
    phone_page.click("text=Bài tập phân số tuần 5")
    photo_input = phone_page.locator("#id_photos")
    assert photo_input.get_attribute("accept") == "image/*"
    assert photo_input.get_attribute("capture") == "environment"
    photo_input.set_input_files(str(photo_path))
    phone_page.fill("#id_text", "Em nộp bài ạ.")
    phone_page.click("form.form button[type=submit]")
    phone_page.wait_for_selector(".message-success")
    submission = Submission.objects.get(student=student)
    stored = submission.versions.get().files.get()
    assert stored.is_photo and max(stored.width, stored.height) <= 2000

    # The teacher sees the photo inline, grades and returns the work.
    teacher_page.reload()
    teacher_page.click("text=Trần Minh Khoa")
    image = teacher_page.locator(".photos .marked-photo image").first
    image.wait_for(state="attached")
    # The photo is drawn in the grading viewer's SVG: its copy must load.
    size = teacher_page.evaluate(
        """href => new Promise(done => {
            const probe = new Image();
            probe.onload = () => done(probe.naturalWidth);
            probe.onerror = () => done(0);
            probe.src = href;
        })""",
        image.get_attribute("href"),
    )
    assert size > 0, "the photo never loaded"
    teacher_page.fill("#id_score", "9")
    teacher_page.fill("#id_comment", "Trình bày sạch, đúng hết.")
    teacher_page.click("button[name=return]")
    teacher_page.wait_for_selector(".message-success")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    # The student sees the grade and the comment.
    phone_page.goto(f"{live_server.url}/homework/")
    assert "9" in phone_page.inner_text(".grade")
    phone_page.click("text=Bài tập phân số tuần 5")
    phone_page.click(f"a[href='/homework/submissions/{submission.pk}/']")
    assert "Trình bày sạch, đúng hết." in phone_page.inner_text(".result")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
