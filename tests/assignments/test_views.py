import io
import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image, PngImagePlugin

from assignments import services
from assignments.models import Submission, SubmissionStatus
from tests.assignments.conftest import image_bytes, make_assignment, submit, upload


@pytest.fixture
def s2_work(world, homework):
    """S2's photo homework in C1, graded but not yet returned."""
    submission = submit(homework, world.S2, text="Bài của S2")
    services.grade_submission(
        submission=submission, by=world.T1, score=7, comment="Nhận xét bí mật"
    )
    return submission


def file_url(submission):
    stored = submission.versions.first().files.first()
    return reverse("assignments:file", args=[stored.pk])


def test_parent_of_another_child_gets_the_same_404_as_for_a_missing_submission(
    world, s2_work, as_user
):
    client = as_user(world.P1)
    foreign = client.get(reverse("assignments:submission", args=[s2_work.pk]))
    missing = client.get(reverse("assignments:submission", args=[s2_work.pk + 999]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    body = foreign.content.decode()
    assert world.S2.display_name not in body and "bai-lam" not in body


@pytest.mark.parametrize("who", ["P1", "S1", "T2", "T3", "P3", None])
def test_homework_photo_is_404_for_everyone_not_allowed(world, s2_work, client, who):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(file_url(s2_work))
    assert response.status_code == 404
    response = client.get(file_url(s2_work) + "?download=1")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["S2", "P2", "T1", "A1"])
def test_homework_photo_is_served_privately_to_those_allowed(
    world, s2_work, client, who
):
    client.force_login(getattr(world, who))
    response = client.get(file_url(s2_work))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline; filename=")
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "JPEG"


def test_download_header_filename_is_sanitised(world, homework, as_user):
    submission = submit(
        homework, world.S1, photos=[upload("../../\u202eevil\x00.jpg", image_bytes())]
    )
    response = as_user(world.S1).get(file_url(submission) + "?download=1")
    header = response["Content-Disposition"]
    assert header == 'attachment; filename="evil.jpg"'


def test_student_cannot_read_any_classmate_submission_by_sequential_id(
    world, homework, as_user
):
    own = submit(homework, world.S1)
    others = [
        submit(homework, world.S2),
        submit(make_assignment(world.T2, [world.C2]), world.S3),
    ]
    client = as_user(world.S1)
    assert (
        client.get(reverse("assignments:submission", args=[own.pk])).status_code == 200
    )
    for other in others:
        url = reverse("assignments:submission", args=[other.pk])
        assert client.get(url).status_code == 404


def test_student_cannot_set_score_or_status_on_their_own_submission(
    world, homework, as_user
):
    submission = submit(homework, world.S1)
    client = as_user(world.S1)
    url = reverse("assignments:submission", args=[submission.pk])
    client.post(url, {"score": "10", "comment": "tự chấm", "return": "1"})
    client.post(reverse("assignments:return-submission", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.score is None and submission.comment == ""
    assert submission.status == SubmissionStatus.SUBMITTED


def test_submit_form_ignores_posted_score_status_and_student(world, homework, as_user):
    client = as_user(world.S1)
    client.post(
        reverse("assignments:detail", args=[homework.pk]),
        {
            "text": "bài làm",
            "idempotency_key": uuid.uuid4().hex,
            "score": "10",
            "status": "returned",
            "is_late": "false",
            "student": world.S2.pk,
        },
    )
    submission = Submission.objects.get()
    assert submission.student == world.S1
    assert submission.score is None and submission.status == SubmissionStatus.SUBMITTED


def test_teacher_of_another_class_gets_404_on_submission_and_grading(
    world, s2_work, as_user
):
    client = as_user(world.T2)
    url = reverse("assignments:submission", args=[s2_work.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "1", "return": "1"}).status_code == 404
    queue = reverse("assignments:queue", args=[s2_work.assignment.pk])
    assert client.get(queue).status_code == 404
    s2_work.refresh_from_db()
    assert s2_work.score == 7 and s2_work.status == SubmissionStatus.GRADED


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_gradebook_of_another_class_is_404(world, as_user, suffix):
    client = as_user(world.T1)
    if suffix:
        url = reverse("assignments:gradebook-export", args=[world.C2.pk, suffix[1:]])
    else:
        url = reverse("assignments:gradebook", args=[world.C2.pk])
    assert client.get(url).status_code == 404
    assert (
        as_user(world.S1)
        .get(url.replace(str(world.C2.pk), str(world.C1.pk)))
        .status_code
        == 404
    )


def test_grade_is_hidden_from_student_and_parent_until_returned(world, s2_work, client):
    for who in (world.S2, world.P2):
        client.force_login(who)
        for url in (
            reverse("assignments:submission", args=[s2_work.pk]),
            reverse("assignments:list"),
        ):
            body = client.get(url).content.decode()
            assert "Nhận xét bí mật" not in body
            assert "<strong>7</strong>" not in body
    services.return_submission(submission=s2_work, by=world.T1)
    client.force_login(world.S2)
    body = client.get(
        reverse("assignments:submission", args=[s2_work.pk])
    ).content.decode()
    assert "Nhận xét bí mật" in body and "<strong>7</strong>" in body


def test_student_of_another_class_gets_404_for_the_assignment(world, homework, as_user):
    client = as_user(world.S3)
    url = reverse("assignments:detail", args=[homework.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"text": "x", "idempotency_key": "k"})
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_fake_jpg_upload_shows_error_next_to_field_and_keeps_text(
    world, homework, as_user
):
    response = as_user(world.S1).post(
        reverse("assignments:detail", args=[homework.pk]),
        {
            "text": "Lời giải của em",
            "idempotency_key": uuid.uuid4().hex,
            "photos": [upload("bai.jpg", b"this is a text file")],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'field-error">\s*<label for="id_photos"', body)
    assert "không phải là ảnh" in body
    assert "Lời giải của em" in body
    assert Submission.objects.count() == 0


def test_submitting_through_the_page_twice_with_one_key_creates_one_version(
    world, homework, as_user
):
    client = as_user(world.S1)
    data = {"text": "bài", "idempotency_key": "same-key"}
    url = reverse("assignments:detail", args=[homework.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Submission.objects.get().versions.count() == 1


def test_student_list_groups_work_by_state(world, homework, as_user):
    todo = make_assignment(world.T1, [world.C1], title="Bài chưa làm")
    make_assignment(world.T2, [world.C2], title="Bài của lớp khác")
    submit(homework, world.S1)
    response = as_user(world.S1).get(reverse("assignments:list"))
    groups = response.context["groups"]
    assert [r["assignment"] for r in groups["todo"]] == [todo]
    assert [r["assignment"] for r in groups["submitted"]] == [homework]
    assert "Bài của lớp khác" not in response.content.decode()


def test_teacher_creates_homework_through_the_form(world, as_user):
    response = as_user(world.T1).post(
        reverse("assignments:create"),
        {
            "title": "Giải bài tập phân số",
            "classrooms": [world.C1.pk],
            "kind": "upload",
            "points": "10",
            "due_at": "2030-01-01T20:00",
            "late_policy": "accept",
            "publish": "on",
            "rubric": "Đáp số: 6\nTrình bày: 4",
            "attachments": [upload("phieu.pdf", b"%PDF-1.4 phieu", "application/pdf")],
        },
    )
    assert response.status_code == 302
    homework = world.C1.assignments.get()
    assert homework.is_published and homework.attachments.count() == 1
    assert homework.rubric == [
        {"name": "Đáp số", "points": "6"},
        {"name": "Trình bày", "points": "4"},
    ]


def test_teacher_cannot_target_a_class_they_do_not_teach_in_the_form(world, as_user):
    response = as_user(world.T1).post(
        reverse("assignments:create"),
        {
            "title": "x",
            "classrooms": [world.C2.pk],
            "kind": "upload",
            "points": "10",
            "due_at": "2030-01-01T20:00",
            "late_policy": "accept",
        },
    )
    assert response.status_code == 200
    assert "classrooms" in response.context["form"].errors


def test_grading_page_shows_every_version_and_navigates(world, homework, as_user):
    first = submit(homework, world.S1, text="phiên bản một")
    submit(homework, world.S1, text="phiên bản hai")
    second = submit(homework, world.S2)
    body = (
        as_user(world.T1)
        .get(reverse("assignments:submission", args=[first.pk]))
        .content.decode()
    )
    assert "phiên bản một" in body and "phiên bản hai" in body
    assert reverse("assignments:submission", args=[second.pk]) in body


def test_teacher_grades_and_returns_through_the_page(world, s2_work, as_user):
    response = as_user(world.T1).post(
        reverse("assignments:submission", args=[s2_work.pk]),
        {"score": "9.5", "comment": "Rất tốt", "return": "1"},
    )
    assert response.status_code == 302
    s2_work.refresh_from_db()
    assert s2_work.status == SubmissionStatus.RETURNED and s2_work.score == 9.5


def test_out_of_range_score_is_an_error_next_to_the_field(world, s2_work, as_user):
    response = as_user(world.T1).post(
        reverse("assignments:submission", args=[s2_work.pk]),
        {"score": "50", "comment": "quá điểm"},
    )
    assert response.status_code == 200
    assert "score" in response.context["form"].errors
    s2_work.refresh_from_db()
    assert s2_work.score == 7


def test_gradebook_csv_has_bom_vietnamese_names_and_inert_formulas(world, as_user):
    world.S1.display_name = '=HYPERLINK("http://evil")'
    world.S1.save()
    homework = make_assignment(world.T1, [world.C1], title="@Bài 1")
    submission = submit(homework, world.S2)
    services.grade_submission(submission=submission, by=world.T1, score=8)
    response = as_user(world.T1).get(
        reverse("assignments:gradebook-export", args=[world.C1.pk, "csv"])
    )
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@Bài 1" in text
    assert world.S2.display_name in text and "8" in text
    assert response["Content-Disposition"].startswith("attachment;")


def test_gradebook_xlsx_stores_formula_text_as_plain_strings(world, as_user):
    world.S1.display_name = "=1+1"
    world.S1.save()
    make_assignment(world.T1, [world.C1])
    response = as_user(world.T1).get(
        reverse("assignments:gradebook-export", args=[world.C1.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=1+1" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_login_page_is_used_for_anonymous_pages(world, homework, client):
    response = client.get(reverse("assignments:detail", args=[homework.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_student_home_lists_homework_to_do_and_teacher_home_what_to_grade(
    world, homework, as_user
):
    make_assignment(world.T1, [world.C1], title="Bài chưa ai nộp")
    submit(homework, world.S2)
    body = as_user(world.S1).get(reverse("home")).content.decode()
    assert homework.title in body and "Bài chưa ai nộp" in body
    response = as_user(world.T1).get(reverse("home"))
    assert [a.title for a in response.context["homework_to_grade"]] == [homework.title]
    assert response.context["homework_to_grade"][0].ungraded == 1
    # Same-titled homework of two classes must be told apart on the home.
    assert f"{world.C1.name} · " in response.content.decode()


def test_eleven_files_through_the_page_are_refused_next_to_the_photos(
    world, homework, as_user
):
    response = as_user(world.S1).post(
        reverse("assignments:detail", args=[homework.pk]),
        {
            "text": "mười một ảnh",
            "idempotency_key": uuid.uuid4().hex,
            "photos": [upload(f"{i}.jpg", image_bytes()) for i in range(11)],
        },
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert Submission.objects.count() == 0


def test_more_multipart_files_than_django_allows_is_a_400_not_a_500(
    world, homework, as_user
):
    response = as_user(world.S1).post(
        reverse("assignments:detail", args=[homework.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "photos": [upload(f"{i}.jpg", b"x") for i in range(25)],
        },
    )
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_oversize_photo_through_the_page_is_refused_with_a_message(
    world, homework, as_user
):
    big = upload("to.jpg", b"\xff\xd8\xff" + b"\x00" * (15 * 1024 * 1024 + 10))
    response = as_user(world.S1).post(
        reverse("assignments:detail", args=[homework.pk]),
        {"idempotency_key": uuid.uuid4().hex, "photos": [big], "text": "giữ"},
    )
    assert response.status_code == 200
    assert "15 MB" in response.content.decode()
    assert Submission.objects.count() == 0


def test_submission_pages_are_not_cached(world, s2_work, as_user):
    response = as_user(world.T1).get(
        reverse("assignments:submission", args=[s2_work.pk])
    )
    assert "no-store" in response["Cache-Control"]


def test_page_shows_no_submit_form_after_a_hard_deadline(world, as_user):
    import time_machine

    homework = make_assignment(world.T1, [world.C1], late_policy="refuse")
    client = as_user(world.S1)
    url = reverse("assignments:detail", args=[homework.pk])
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    with time_machine.travel(homework.due_at + timedelta(minutes=1)):
        client = as_user(world.S1)  # days later: the pupil signs in again
        body = client.get(url).content.decode()
    assert 'name="idempotency_key"' not in body
    assert "không nhận bài nộp muộn" in body


def test_school_admin_sees_nothing_of_another_school(world, as_user):
    other = make_assignment(world.T3, [world.C3])
    submission = submit(other, world.S5)
    client = as_user(world.A1)
    for url in (
        reverse("assignments:detail", args=[other.pk]),
        reverse("assignments:queue", args=[other.pk]),
        reverse("assignments:submission", args=[submission.pk]),
        file_url(submission),
        reverse("assignments:gradebook", args=[world.C3.pk]),
        reverse("assignments:gradebook-export", args=[world.C3.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404, url


def test_failed_return_leaves_no_saved_grade(world, s2_work, as_user, monkeypatch):
    def failing_return(**kwargs):
        raise ValidationError("Không trả bài được.")

    monkeypatch.setattr(services, "return_submission", failing_return)
    response = as_user(world.T1).post(
        reverse("assignments:submission", args=[s2_work.pk]),
        {"score": "9.5", "comment": "Rất tốt", "return": "1"},
    )
    assert response.status_code == 200
    assert "Không trả bài được." in response.content.decode()
    s2_work.refresh_from_db()
    assert s2_work.score == 7 and s2_work.comment == "Nhận xét bí mật"
    assert s2_work.status == SubmissionStatus.GRADED


def test_a_png_html_polyglot_is_stored_re_encoded_and_served_as_an_image(
    world, homework, as_user
):
    # UP-04: a real PNG with a page behind its IEND chunk (and one in a text
    # chunk) that a sniffing browser could run as HTML.
    page = b"<html><script>alert(document.cookie)</script></html>"
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", page.decode())
    Image.new("RGB", (64, 64), (0, 128, 255)).save(buffer, "PNG", pnginfo=info)
    polyglot = buffer.getvalue() + page
    submission = submit(homework, world.S1, photos=[upload("bai.png", polyglot)])
    stored = submission.versions.get().files.get()
    with stored.file.open("rb") as handle:
        content = handle.read()
    assert b"<script" not in content and b"<html" not in content
    response = as_user(world.S1).get(file_url(submission))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    served = b"".join(response.streaming_content)
    assert b"<script" not in served
    assert Image.open(io.BytesIO(served)).size == (64, 64)
