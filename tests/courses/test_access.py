"""Who sees what: lessons, documents, images and search (AZ-01/02/05, AZ-11)."""

import pytest
from django.urls import reverse
from wagtail.images.views.serve import generate_image_url

from classrooms.services import remove_student
from courses import permissions, services
from tests.factories import LessonPageFactory, StudentFactory

pytestmark = pytest.mark.django_db


def image_url(image):
    return generate_image_url(image, "width-360|format-webp", viewname="courses:image")


def test_student_reads_own_class_lesson(client, world):
    client.force_login(world.S1)
    response = client.get(world.lesson_a.url)
    assert response.status_code == 200
    assert "Phân số bằng nhau" in response.content.decode()


def test_student_of_6a_gets_404_for_6b_private_lesson(client, world):
    client.force_login(world.S1)
    assert client.get(world.lesson_b.url).status_code == 404
    assert client.get(world.course_b.url).status_code == 404


def test_forbidden_lesson_and_missing_lesson_look_the_same(client, world):
    client.force_login(world.S1)
    forbidden = client.get(world.lesson_b.url)
    missing = client.get(world.course_b.url + "khong-co-bai-nay/")
    assert forbidden.status_code == missing.status_code == 404
    assert "Toán 6B" not in forbidden.content.decode()


def test_parent_reads_child_lesson_but_not_other_class(client, world):
    client.force_login(world.P1)
    assert client.get(world.lesson_a.url).status_code == 200
    assert client.get(world.lesson_b.url).status_code == 404


def test_anonymous_is_sent_to_login_for_private_lesson(client, world):
    response = client.get(world.lesson_a.url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_public_course_is_readable_by_anyone(client, world):
    world.course_b.is_public = True
    world.course_b.save_revision().publish()
    assert client.get(world.lesson_b.url).status_code == 200
    client.force_login(world.S1)
    assert client.get(world.lesson_b.url).status_code == 200


def test_unpublished_lesson_is_404_for_student(client, world):
    url = world.lesson_a.url
    world.lesson_a.unpublish()
    client.force_login(world.S1)
    assert client.get(url).status_code == 404


def test_unknown_lesson_url_is_404_not_500(client, world):
    client.force_login(world.S1)
    assert client.get(world.course_a.url + "bai-khong-ton-tai/").status_code == 404
    assert client.get(world.course_a.url + "%00%ff/").status_code == 404


def test_unenrolled_student_loses_access_at_once(client, world):
    client.force_login(world.S1)
    assert client.get(world.lesson_a.url).status_code == 200
    remove_student(classroom=world.C1, student=world.S1, by=world.T1)
    assert client.get(world.lesson_a.url).status_code == 404


def test_student_of_6a_cannot_download_6b_document(client, world):
    client.force_login(world.S1)
    assert client.get(world.document_b.url).status_code == 404
    client.force_login(world.S3)
    response = client.get(world.document_b.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_anonymous_cannot_download_private_document(client, world):
    response = client.get(world.document_b.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_private_image_rendition_needs_course_access(client, world):
    url = image_url(world.image_b)
    client.force_login(world.S1)
    assert client.get(url).status_code == 404
    client.force_login(world.S3)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "private" in response["Cache-Control"]


def test_anonymous_cannot_fetch_private_rendition(client, world):
    assert client.get(image_url(world.image_b)).status_code == 404


def test_tampered_image_signature_is_404(client, world):
    client.force_login(world.S3)
    url = image_url(world.image_b).replace("width-360", "width-2000")
    assert client.get(url).status_code == 404


def test_image_originals_and_media_are_never_served_directly(client, world):
    client.force_login(world.S3)
    original = "/media/" + world.image_b.file.name
    assert client.get(original).status_code == 404
    rendition = world.image_b.get_rendition("width-360")
    assert client.get(rendition.url).status_code == 404


def test_lesson_html_has_no_direct_media_urls(client, world):
    client.force_login(world.S3)
    html = client.get(world.lesson_b.url).content.decode()
    assert "/media/" not in html
    assert "/learn/images/" in html


def test_search_shows_only_lessons_the_user_may_open(client, world):
    client.force_login(world.S1)
    response = client.get(reverse("courses:search"), {"q": "phan so bang nhau"})
    titles = [lesson.title for lesson in response.context["results"]]
    assert titles == [world.lesson_a.title]


def test_search_for_teacher_covers_only_their_course(world):
    lessons = permissions.visible_lessons(world.T2)
    assert list(lessons) == [world.lesson_b]


def test_stranger_student_sees_no_private_course(world):
    stranger = StudentFactory()
    assert not permissions.visible_courses(stranger).exists()
    assert not permissions.can_view_collection(stranger, world.course_a.collection)


def test_course_index_lists_only_visible_courses(client, world):
    client.force_login(world.S1)
    courses = list(client.get(world.index.url).context["courses"])
    assert courses == [world.course_a.page_ptr.specific]


def test_progress_cannot_be_marked_on_a_foreign_lesson(client, world):
    client.force_login(world.S1)
    response = client.post(reverse("courses:mark-done", args=[world.lesson_b.pk]))
    assert response.status_code == 404
    assert not world.lesson_b.progress.exists()


def test_private_course_gets_wagtail_login_restrictions(world):
    assert world.course_a.get_view_restrictions().exists()
    assert world.course_a.collection.get_view_restrictions().exists()
    world.course_a.is_public = True
    world.course_a.save()
    services.sync_course_privacy(course=world.course_a)
    assert not world.course_a.get_view_restrictions().exists()
    assert not world.course_a.collection.get_view_restrictions().exists()


def test_course_list_shows_only_visible_courses(client, world):
    client.force_login(world.S3)
    response = client.get(reverse("courses:course-list"))
    assert [c.pk for c in response.context["courses"]] == [world.course_b.pk]
    assert "Toán 6A" not in response.content.decode()


def test_video_file_and_attachment_blocks_link_through_permission_checked_urls(
    client, world
):
    from tests.factories import LessonPageFactory, stream

    lesson = LessonPageFactory(
        parent=world.course_b,
        body=stream(
            ("video_file", {"video": world.document_b.pk, "caption": "Thí nghiệm"}),
        ),
    )
    client.force_login(world.S3)
    html = client.get(lesson.url).content.decode()
    assert f'<video controls preload="none" src="{world.document_b.url}"' in html
    client.force_login(world.S1)
    assert client.get(world.document_b.url).status_code == 404


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("S1", "Khoá học của em"),
        ("T1", "Khoá học"),
        ("P1", "Khoá học"),
        ("A1", "Khoá học"),
    ],
)
def test_course_list_heading_says_em_only_to_pupils(client, world, who, heading):
    client.force_login(getattr(world, who))
    page = client.get(reverse("courses:course-list")).content.decode()
    assert f"<h1>{heading}</h1>" in page
    if who != "S1":
        assert "của em" not in page and "em được xem" not in page


def test_short_lesson_url_redirects_a_reader_to_the_lesson(client, world):
    client.force_login(world.S1)
    response = client.get(f"/l/{world.lesson_a.pk}/")
    assert response.status_code == 302 and response["Location"] == world.lesson_a.url
    assert len(response["Location"]) > len(f"/l/{world.lesson_a.pk}/")


def test_short_lesson_url_keeps_the_permission_check(client, world):
    """AZ: S1 (class C1) may not open C2's lesson by its short URL; the answer is
    the same 404 as for an id that does not exist, and names no lesson."""
    client.force_login(world.S1)
    forbidden = client.get(f"/l/{world.lesson_b.pk}/")
    missing = client.get("/l/987654/")
    assert forbidden.status_code == missing.status_code == 404
    assert "Toán 6B" not in forbidden.content.decode()


def test_short_lesson_url_asks_a_signed_out_visitor_to_log_in_first(client, world):
    for lesson_id in (world.lesson_a.pk, 987654):
        response = client.get(f"/l/{lesson_id}/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert f"next=/l/{lesson_id}/" in response["Location"]


def test_lesson_page_offers_its_short_url_to_share(client, world):
    client.force_login(world.S1)
    page = client.get(world.lesson_a.url).content.decode()
    assert f'href="/l/{world.lesson_a.pk}/"' in page


def test_lesson_links_to_the_next_lesson_of_its_course_and_the_last_to_none(
    client, world
):
    following = LessonPageFactory(parent=world.course_a, title="Rút gọn phân số")
    client.force_login(world.S1)
    first = client.get(world.lesson_a.url).content.decode()
    assert f'href="{following.url}"' in first and "Rút gọn phân số" in first
    last = client.get(following.url).content.decode()
    assert "Bài tiếp theo" not in last
