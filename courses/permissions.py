"""
May this user read or edit this course, lesson, image or document?

The one place that answers it for ``courses``; the page route, search, the
document and image views and the progress service all ask here. A course is
readable when it is public, by its teachers, and by anyone a higher layer
vouches for through the ``courses.hooks.VISIBLE_COURSE_IDS`` hook
(``classrooms`` registers enrolled students, their parents, the classes'
teachers and the school's admins). Nothing is cached: a removed enrolment
takes effect on the next request.
"""

from django.db.models import Q
from wagtail.models import Collection, Page

from . import hooks
from .models import CoursePage, LessonPage


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_courses(user):
    """Live courses ``user`` may read."""
    courses = CoursePage.objects.live()
    if _active(user) and user.is_superuser:
        return courses
    condition = Q(is_public=True)
    if _active(user):
        condition |= Q(teachers=user)
        for ids in hooks.extra_visible_course_ids(user):
            condition |= Q(pk__in=ids)
    return courses.filter(condition).distinct()


def visible_lessons(user):
    """Live lessons in the courses ``user`` may read."""
    paths = list(visible_courses(user).values_list("path", flat=True))
    if not paths:
        return LessonPage.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return LessonPage.objects.live().filter(condition)


def can_view_course(user, course: CoursePage) -> bool:
    return visible_courses(user).filter(pk=course.pk).exists()


def course_for_page(page: Page) -> CoursePage | None:
    """The course a page belongs to (itself included), or ``None``."""
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()


def can_view_page(user, page: Page) -> bool:
    """Pages outside any course (the site root, course lists) are open."""
    course = course_for_page(page)
    return course is None or (page.live and can_view_course(user, course))


def course_for_collection(collection: Collection) -> CoursePage | None:
    ancestors = collection.get_ancestors(inclusive=True)
    return CoursePage.objects.filter(collection__in=ancestors).first()


def can_view_collection(user, collection: Collection) -> bool:
    """Images and documents of a course are as private as its lessons."""
    course = course_for_collection(collection)
    return course is None or can_view_course(user, course)


def can_view_media(user, media) -> bool:
    """
    A file the Wagtail admin shows (``selectors.MediaFile``), for the people
    who use the admin: images only if they may see the collection, profile
    pictures all. Pupils and parents read lesson images through the signed
    ``courses:image`` renditions, never through ``MEDIA_URL``.
    """
    if not (_active(user) and user.has_perm("wagtailadmin.access_admin")):
        return False
    return media.collection is None or can_view_collection(user, media.collection)


def can_track_progress(user, lesson: LessonPage) -> bool:
    """Only students record progress, and only on lessons they may read."""
    return _active(user) and user.is_student and can_view_page(user, lesson)


def can_edit_course(user, course: CoursePage) -> bool:
    """May open the course in the Wagtail admin and edit its lessons ("Soạn bài")."""
    if not (_active(user) and user.has_perm("wagtailadmin.access_admin")):
        return False
    return course.permissions_for_user(user).can_edit()
