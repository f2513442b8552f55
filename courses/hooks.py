"""
Extension points that higher layers fill in, so ``courses`` never imports them.

``courses`` sits below ``classrooms`` and ``assignments`` in the layering, yet
who may read a course depends on enrolment, and a lesson may point at a
homework assignment. Those apps register functions under these Wagtail hook
names (``wagtail.hooks.register``); ``courses`` asks ``hooks.get_hooks``.

``VISIBLE_COURSE_IDS``
    ``fn(user) -> QuerySet | Iterable[int]``: ids of ``CoursePage``\\ s the
    user may read through another relation (enrolment, parent link...).
    Called on every check; nothing is cached, so a removed enrolment takes
    effect on the next request.

``RESOLVE_HOMEWORK``
    ``fn(assignment_id: int, user) -> HomeworkLink | None``: the title and URL
    of an assignment for this user, or ``None`` when it does not exist or the
    user may not see it. The first non-``None`` answer wins.

``LESSON_HOMEWORK``
    ``fn(lesson, user) -> Iterable[HomeworkLink]``: the homework set on this
    lesson that the user may see, for the lesson page's "homework" list.

``COURSE_LINKS``
    ``fn(course, user) -> Iterable[CourseLink]``: extra links on a course page.
"""

from dataclasses import dataclass

from wagtail import hooks

VISIBLE_COURSE_IDS = "lophoc_visible_course_ids"
RESOLVE_HOMEWORK = "lophoc_resolve_homework"
COURSE_LINKS = "lophoc_course_links"
LESSON_HOMEWORK = "lophoc_lesson_homework"


@dataclass(frozen=True)
class HomeworkLink:
    title: str
    url: str
    due_label: str = ""


@dataclass(frozen=True)
class CourseLink:
    label: str
    url: str


def course_links(course, user) -> list[CourseLink]:
    return [link for fn in hooks.get_hooks(COURSE_LINKS) for link in fn(course, user)]


def lesson_homework(lesson, user) -> list[HomeworkLink]:
    """The homework set on ``lesson`` that ``user`` may see, from every app."""
    return [
        link for fn in hooks.get_hooks(LESSON_HOMEWORK) for link in fn(lesson, user)
    ]


def extra_visible_course_ids(user) -> list:
    """Every registered answer to "which courses may this user read?"."""
    return [fn(user) for fn in hooks.get_hooks(VISIBLE_COURSE_IDS)]


def resolve_homework(assignment_id: int, user) -> HomeworkLink | None:
    for fn in hooks.get_hooks(RESOLVE_HOMEWORK):
        link = fn(assignment_id, user)
        if link is not None:
            return link
    return None
