"""Authoring in the Wagtail admin: each teacher edits only their own course."""

import io

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import services
from courses.models import LessonPage
from tests.factories import TeacherFactory, make_jpeg

pytestmark = pytest.mark.django_db


def course_form(course, **changes):
    data = {
        "title": course.title,
        "slug": course.slug,
        "subject": course.subject,
        "grade": course.grade,
        "description": rich_text("<p>Mô tả</p>"),
        **changes,
    }
    return nested_form_data(data)


def lesson_form(title, slug):
    body = streamfield([("paragraph", rich_text("<p>Nội dung bài học.</p>"))])
    return nested_form_data({"title": title, "slug": slug, "summary": "", "body": body})


def test_teacher_cannot_open_another_teachers_course_editor(client, world):
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.course_b.pk])
    response = client.get(edit)
    assert response.status_code in (302, 403, 404)


def test_teacher_cannot_change_another_teachers_course(client, world):
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.course_b.pk])
    data = course_form(world.course_b, title="Đã bị sửa")
    data["action-publish"] = "action-publish"
    response = client.post(edit, data)
    assert response.status_code in (302, 403, 404)
    world.course_b.refresh_from_db()
    assert world.course_b.title == "Toán 6B"
    assert world.course_b.get_latest_revision().content["title"] == "Toán 6B"


def test_teacher_cannot_add_lessons_or_see_history_of_another_course(client, world):
    client.force_login(world.T1)
    add = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_b.pk]
    )
    assert client.get(add).status_code in (302, 403, 404)
    history = reverse("wagtailadmin_pages:history", args=[world.course_b.pk])
    assert client.get(history).status_code in (302, 403, 404)
    revisions = reverse("wagtailadmin_pages:revisions_index", args=[world.lesson_b.pk])
    assert client.get(revisions).status_code in (302, 403, 404)


def test_teacher_publishes_a_lesson_in_own_course(client, world):
    client.force_login(world.T1)
    add = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_a.pk]
    )
    data = lesson_form("Bài mới của cô", "bai-moi")
    data["action-publish"] = "action-publish"
    response = client.post(add, data)
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="bai-moi")
    assert lesson.live
    assert lesson.get_parent().pk == world.course_a.pk


def test_teacher_saves_a_draft_that_students_cannot_see(client, world):
    client.force_login(world.T1)
    add = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_a.pk]
    )
    client.post(add, lesson_form("Bản nháp", "ban-nhap"))
    draft = LessonPage.objects.get(slug="ban-nhap")
    assert not draft.live
    client.force_login(world.S1)
    assert client.get(world.course_a.url + "ban-nhap/").status_code == 404


def test_removed_teacher_loses_editing_rights(client, world):
    services.remove_course_teacher(course=world.course_a, teacher=world.T1)
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.course_a.pk])
    assert client.get(edit).status_code in (302, 403, 404)


def test_added_teacher_gains_editing_rights(client, world):
    newcomer = TeacherFactory()
    services.add_course_teacher(course=world.course_a, teacher=newcomer)
    client.force_login(newcomer)
    edit = reverse("wagtailadmin_pages:edit", args=[world.course_a.pk])
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize("who", ["S1", "P1"])
def test_students_and_parents_never_reach_the_admin(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)
    assert not getattr(world, who).has_perm("wagtailadmin.access_admin")


def test_teachers_reach_the_admin(client, world):
    client.force_login(world.T1)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_file_that_is_not_an_image_is_refused(client, world):
    client.force_login(world.T1)
    before = get_image_model().objects.count()
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "anh-bai-hoc.jpg"
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Ảnh giả", "file": fake, "collection": world.course_a.collection.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert get_image_model().objects.count() == before


def test_teacher_uploads_a_real_image_into_own_course_collection(client, world):
    client.force_login(world.T1)
    photo = io.BytesIO(make_jpeg(400, 300))
    photo.name = "bang-phan-so.jpg"
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Bảng", "file": photo, "collection": world.course_a.collection.pk},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Bảng")
    assert image.collection == world.course_a.collection


def test_teacher_cannot_upload_into_another_course_collection(client, world):
    client.force_login(world.T1)
    photo = io.BytesIO(make_jpeg(400, 300))
    photo.name = "x.jpg"
    client.post(
        reverse("wagtailimages:add"),
        {"title": "Lạc", "file": photo, "collection": world.course_b.collection.pk},
    )
    assert (
        not get_image_model()
        .objects.filter(title="Lạc", collection=world.course_b.collection)
        .exists()
    )


def test_moderated_course_needs_approval_before_publishing(client, world):
    head = TeacherFactory()
    workflow = services.enable_moderation(course=world.course_a, approvers=[head])
    assert workflow.name == services.MODERATION_WORKFLOW_NAME
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    data = lesson_form("Bài sửa chờ duyệt", world.lesson_a.slug)
    data["action-publish"] = "action-publish"
    client.post(edit, data)
    world.lesson_a.refresh_from_db()
    assert world.lesson_a.title != "Bài sửa chờ duyệt"
    data = lesson_form("Bài sửa chờ duyệt", world.lesson_a.slug)
    data["action-submit"] = "action-submit"
    client.post(edit, data)
    state = WorkflowState.objects.get(object_id=str(world.lesson_a.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    world.lesson_a.refresh_from_db()
    assert world.lesson_a.title != "Bài sửa chờ duyệt"


def test_teacher_cannot_copy_another_teachers_lesson(client, world):
    client.force_login(world.T1)
    copy = reverse("wagtailadmin_pages:copy", args=[world.lesson_b.pk])
    assert client.get(copy).status_code in (302, 403, 404)
    response = client.post(
        copy,
        {
            "new_title": "Chép",
            "new_slug": "chep",
            "new_parent_page": world.course_a.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code in (302, 403, 404)
    assert not LessonPage.objects.filter(slug="chep").exists()


def test_teacher_image_library_lists_only_own_course_images(client, world):
    client.force_login(world.T1)
    html = client.get(reverse("wagtailimages:index")).content.decode()
    assert world.image_b.title not in html
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert world.image_b.title not in chooser


def test_course_created_in_the_admin_gets_an_editing_group(client, world):
    from django.contrib.auth import get_user_model

    from courses.models import CoursePage

    root = get_user_model().objects.create_superuser(
        username="root", password="x", display_name="Quản trị"
    )
    client.force_login(root)
    add = reverse(
        "wagtailadmin_pages:add", args=["courses", "coursepage", world.index.pk]
    )
    data = nested_form_data(
        {
            "title": "Tin học 6",
            "slug": "tin-hoc-6",
            "subject": "informatics",
            "grade": 6,
            "description": rich_text("<p>Tin</p>"),
        }
    )
    assert client.post(add, data).status_code == 302
    course = CoursePage.objects.get(slug="tin-hoc-6")
    assert course.editors_group is not None and course.collection is not None
    assert course.get_view_restrictions().exists()
