"""Writes for courses: creating them, their teachers, privacy and progress."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.models import User

from . import permissions
from .models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from .text import unaccent

ONLY_TEACHERS_TEACH = _("Chỉ tài khoản giáo viên mới dạy được khoá học.")
CANNOT_TRACK = _("Bạn không thể đánh dấu bài học này.")
MODERATION_WORKFLOW_NAME = "Tổ trưởng chuyên môn duyệt"
APPROVERS_GROUP_NAME = "Tổ trưởng chuyên môn"

# What a course's teachers may do in its subtree: write, publish (which also
# covers scheduling a go-live time), lock, and manage its images/documents.
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


@transaction.atomic
def create_course(
    *,
    index: CourseIndexPage,
    title: str,
    subject: str,
    grade: int,
    teachers: list[User],
    is_public: bool = False,
    description: str = "",
) -> CoursePage:
    """
    Publish a course under ``index`` and give its teachers, and only them,
    the right to edit its subtree and its own image/document collection.
    """
    course = CoursePage(
        title=title,
        slug=slugify(unaccent(title)) or "khoa-hoc",
        subject=subject,
        grade=grade,
        is_public=is_public,
        description=description,
    )
    course.slug = _unique_slug(index, course.slug)
    index.add_child(instance=course)
    course.save_revision().publish()
    set_up_course_editing(course=course)
    set_course_teachers(course=course, teachers=teachers)
    return course


@transaction.atomic
def set_up_course_editing(*, course: CoursePage) -> CoursePage:
    """
    Give a course its editors' group and its own collection (idempotent).
    Also run for courses created in the Wagtail admin (``after_create_page``).
    """
    if course.editors_group_id is None:
        course.editors_group = Group.objects.create(
            name=f"Biên soạn: {course.title} #{course.pk}"
        )
    if course.collection_id is None:
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        course.collection = root.add_child(
            name=f"Khoá học: {course.title} #{course.pk}"
        )
    course.save(update_fields=["editors_group", "collection"])
    _grant_editing(course)
    sync_course_privacy(course=course)
    return course


def _unique_slug(index: CourseIndexPage, slug: str) -> str:
    taken = set(index.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _grant_editing(course: CoursePage) -> None:
    group = course.editors_group
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=course,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=course.collection,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )


@transaction.atomic
def set_course_teachers(*, course: CoursePage, teachers: list[User]) -> CoursePage:
    """The course's teachers are exactly ``teachers``; editing rights follow."""
    if any(not teacher.is_teacher for teacher in teachers):
        raise ValidationError(ONLY_TEACHERS_TEACH)
    course.teachers.set(teachers)
    if course.editors_group_id:
        course.editors_group.user_set.set(teachers)
    return course


def add_course_teacher(*, course: CoursePage, teacher: User) -> CoursePage:
    return set_course_teachers(
        course=course, teachers=[*course.teachers.all(), teacher]
    )


def remove_course_teacher(*, course: CoursePage, teacher: User) -> CoursePage:
    return set_course_teachers(
        course=course, teachers=list(course.teachers.exclude(pk=teacher.pk))
    )


@transaction.atomic
def sync_course_privacy(*, course: CoursePage) -> None:
    """
    Mirror ``is_public`` into Wagtail's own view restrictions: a private
    course and its collection require a login (Wagtail then hides them from
    anonymous visitors, its API and ``Page.objects.public()``, and shows the
    padlock in the admin). Who among logged-in users may read is decided by
    ``courses.permissions`` in the serve hooks.
    """
    login = BaseViewRestriction.LOGIN
    pages = PageViewRestriction.objects.filter(page=course, restriction_type=login)
    collections = CollectionViewRestriction.objects.filter(
        collection=course.collection, restriction_type=login
    )
    if course.is_public:
        pages.delete()
        collections.delete()
        return
    if not pages.exists():
        PageViewRestriction.objects.create(page=course, restriction_type=login)
    if course.collection_id and not collections.exists():
        CollectionViewRestriction.objects.create(
            collection=course.collection, restriction_type=login
        )


@transaction.atomic
def enable_moderation(*, course: CoursePage, approvers: list[User]) -> Workflow:
    """
    Changes to ``course`` need a head of department's approval: teachers can
    only submit; members of the "Tổ trưởng chuyên môn" group approve.
    """
    group, _ = Group.objects.get_or_create(name=APPROVERS_GROUP_NAME)
    group.user_set.add(*approvers)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    workflow, created = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW_NAME)
    if created:
        task = GroupApprovalTask.objects.create(name=APPROVERS_GROUP_NAME)
        task.groups.set([group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=course, defaults={"workflow": workflow})
    for codename in ["change_page", "publish_page"]:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=course,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    GroupPagePermission.objects.filter(
        group=course.editors_group, page=course, permission__codename="publish_page"
    ).delete()
    return workflow


def mark_lesson_done(*, student: User, lesson: LessonPage) -> LessonProgress:
    """Record that ``student`` finished ``lesson``; marking twice is harmless."""
    if not permissions.can_track_progress(student, lesson):
        raise PermissionDenied(CANNOT_TRACK)
    progress, _created = LessonProgress.objects.get_or_create(
        student=student, lesson=lesson
    )
    return progress
