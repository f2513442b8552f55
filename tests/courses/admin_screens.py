"""
The Wagtail admin screens a teacher meets, as URLs of the ``world`` fixture
(``t1`` writes ``course_a``): the dashboard, the page explorer, the page
editor, the image and document libraries and choosers, the page history.
``moderation_screens`` adds those of a lesson waiting for approval.
"""

from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from courses import services
from tests.factories import TeacherFactory

from .editor_forms import editor_post_data


def teacher_screens(world) -> list[str]:
    lesson, course = world.lesson_a, world.course_a
    image = get_image_model().objects.filter(collection=course.collection).first()
    document = get_document_model().objects.filter(collection=course.collection).first()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[course.pk]),
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk]),
        reverse("wagtailadmin_pages:history", args=[lesson.pk]),
        reverse("wagtailadmin_pages:revisions_index", args=[lesson.pk]),
        reverse("wagtailadmin_pages:delete", args=[lesson.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[lesson.pk]),
        reverse("wagtailadmin_pages:copy", args=[lesson.pk]),
        reverse("wagtailadmin_pages:move", args=[lesson.pk]),
        reverse("wagtailadmin_pages:search") + "?q=phân số",
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtailimages:edit", args=[image.pk]),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:add"),
        reverse("wagtaildocs:edit", args=[document.pk]),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_account"),
    ]


def submit_for_moderation(client, world):
    """``course_a`` needs approval; ``t1`` submits a change to ``lesson_a``."""
    head = TeacherFactory(display_name="Cô Tổ Trưởng")
    services.enable_moderation(course=world.course_a, approvers=[head])
    edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    client.force_login(world.T1)
    data = editor_post_data(client.get(edit).context["form"])
    data.update({"title": "Phân số bằng nhau (sửa)", "action-submit": "1"})
    assert client.post(edit, data).status_code == 302
    state = WorkflowState.objects.get(object_id=str(world.lesson_a.pk))
    return head, state.current_task_state


def moderation_screens(world, task_state) -> list[str]:
    lesson = world.lesson_a
    action = "wagtailadmin_pages:workflow_action"
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse(action, args=[lesson.pk, "approve", task_state.pk]),
        reverse(action, args=[lesson.pk, "reject", task_state.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[lesson.pk]),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
    ]


def teacher_actions(client, world) -> dict[str, object]:
    """
    Screens that follow what a teacher does with ``lesson_a``: saving a
    draft, a validation error, comparing revisions, locking, setting privacy,
    a refused upload in the image chooser. Keyed by what was done.
    """
    lesson = world.lesson_a
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.force_login(world.T1)
    data = editor_post_data(client.get(edit).context["form"])
    screens = {"saved": client.post(edit, {**data, "summary": "Mới"}, follow=True)}
    screens["invalid"] = client.post(edit, {**data, "title": ""})
    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[lesson.pk, "live", "latest"]
    )
    screens["compare"] = client.get(compare)
    screens["privacy"] = client.get(
        reverse("wagtailadmin_pages:set_privacy", args=[lesson.pk])
    )
    image = get_image_model().objects.filter(collection=world.course_a.collection)
    screens["image usage"] = client.get(
        reverse("wagtailimages:image_usage", args=[image.first().pk])
    )
    screens["upload many"] = client.get(reverse("wagtailimages:add_multiple"))
    screens["chooser search"] = client.get(
        reverse("wagtailimages_chooser:choose_results"), {"q": "Hình"}
    )
    screens["refused upload"] = client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Giả",
            "image-chooser-upload-collection": world.course_a.collection.pk,
            "image-chooser-upload-file": _not_an_image(),
        },
    )
    client.post(reverse("wagtailadmin_pages:lock", args=[lesson.pk]))
    screens["locked"] = client.get(edit)
    client.post(reverse("wagtailadmin_pages:unlock", args=[lesson.pk]))
    return screens


def moderation_outcomes(client, world, head, task_state) -> dict[str, object]:
    """The approver asks for changes; what the author then sees."""
    lesson = world.lesson_a
    reject = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "reject", task_state.pk],
    )
    client.force_login(head)
    comment = {"comment": "Sửa ví dụ."}
    screens = {"changes requested": client.post(reject, comment, follow=True)}
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    screens["author after review"] = client.get(edit)
    screens["author dashboard"] = client.get(reverse("wagtailadmin_home"))
    screens["author history"] = client.get(
        reverse("wagtailadmin_pages:history", args=[lesson.pk])
    )
    return screens


def _not_an_image():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bai.jpg", b"<html>not a picture</html>")
