"""Reads about courses used by pages, views and higher layers."""

from dataclasses import dataclass, field

from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from . import hooks, permissions
from .models import CoursePage, LessonPage, LessonProgress, UnitPage
from .text import normalise_query

SEARCH_RESULT_LIMIT = 20


@dataclass
class CourseOutline:
    sections: list[tuple[UnitPage | None, list[LessonPage]]]
    lesson_count: int
    done_ids: set[int] = field(default_factory=set)
    links: list[hooks.CourseLink] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return len(self.done_ids)

    @property
    def percent(self) -> int:
        return (
            round(100 * self.done_count / self.lesson_count) if self.lesson_count else 0
        )


def lessons_for_user(user):
    """
    The one "lessons this user may read or teach" query.

    Every place that lets a user pick or show a lesson asks it: the live
    session form and service, the room's slides at render time, the homework
    form and service and the Wagtail page chooser. A lesson of a course the
    user may not read (another teacher's private course, another school's)
    is never offered, accepted or shown.
    """
    return permissions.visible_lessons(user).order_by("path")


def courses_of_lessons(lessons) -> dict[int, CoursePage]:
    """Each lesson's course, by lesson id, in one query (tree paths, no joins)."""
    lessons = list(lessons)
    steplen = CoursePage.steplen
    prefixes = {
        lesson.path[:end]
        for lesson in lessons
        for end in range(steplen, len(lesson.path), steplen)
    }
    if not prefixes:
        return {}
    courses = {c.path: c for c in CoursePage.objects.filter(path__in=prefixes)}
    found = {}
    for lesson in lessons:
        for end in range(steplen, len(lesson.path), steplen):
            course = courses.get(lesson.path[:end])
            if course is not None:
                found[lesson.pk] = course
                break
    return found


def may_use_lesson(user, lesson) -> bool:
    """May ``user`` pick or show ``lesson`` (a page or its id)?"""
    if user is None or lesson is None:
        return False
    pk = getattr(lesson, "pk", lesson)
    return lessons_for_user(user).filter(pk=pk).exists()


def unreadable_course_paths(user) -> list[str]:
    """Tree paths of the courses ``user`` may neither read nor teach."""
    readable = permissions.visible_courses(user).values("pk")
    hidden = CoursePage.objects.exclude(pk__in=readable)
    if user.is_authenticated:
        hidden = hidden.exclude(teachers=user)
    return list(hidden.values_list("path", flat=True))


def lessons_for_course(course: CoursePage):
    """Live lessons of a course in the order teachers arranged them."""
    return LessonPage.objects.live().descendant_of(course).order_by("path")


def course_outline_for_user(*, course: CoursePage, user) -> CourseOutline:
    """Units with their lessons, and which of them ``user`` finished."""
    units = {u.path: u for u in UnitPage.objects.live().child_of(course)}
    sections: dict[str | None, list[LessonPage]] = {None: []}
    sections.update({path: [] for path in units})
    lessons = list(lessons_for_course(course))
    for lesson in lessons:
        parent_path = lesson.path[: -LessonPage.steplen]
        sections.setdefault(parent_path if parent_path in units else None, [])
        sections[parent_path if parent_path in units else None].append(lesson)
    done_ids = set()
    if user.is_authenticated:
        done_ids = set(
            LessonProgress.objects.filter(student=user, lesson__in=lessons).values_list(
                "lesson_id", flat=True
            )
        )
    return CourseOutline(
        sections=[
            (units.get(path), items) for path, items in sections.items() if items
        ],
        lesson_count=len(lessons),
        done_ids=done_ids,
        links=hooks.course_links(course, user),
    )


def next_lesson(lesson: LessonPage) -> LessonPage | None:
    """The lesson after ``lesson`` in its course (same readers), if any."""
    return lesson.get_next_siblings().live().type(LessonPage).specific().first()


def lesson_context_for_user(*, lesson: LessonPage, user) -> dict:
    course = lesson.get_course()
    return {
        "course": course,
        "next_lesson": next_lesson(lesson),
        "homework": hooks.lesson_homework(lesson, user)
        if user.is_authenticated
        else [],
        "can_mark_done": permissions.can_track_progress(user, lesson),
        "is_done": user.is_authenticated
        and LessonProgress.objects.filter(student=user, lesson=lesson).exists(),
    }


def search_lessons_for_user(*, user, query: str) -> list[LessonPage]:
    """
    Lessons ``user`` may open that match ``query``, accents ignored, each
    with its ``course`` (a ``CoursePage`` or ``None``).

    The query is unaccented and matched against the lessons' unaccented
    ``search_text`` field (the index is built the same way), so it works on
    SQLite's FTS5, whose tokenizer can't strip Vietnamese stacked marks, and
    on PostgreSQL, where the ``lophoc_vi`` search configuration also applies
    ``unaccent``.
    """
    normalised = normalise_query(query)
    if not normalised:
        return []
    lesson_ids = list(permissions.visible_lessons(user).values_list("pk", flat=True))
    if not lesson_ids:
        return []
    candidates = LessonPage.objects.live().filter(pk__in=lesson_ids)
    results = list(candidates.search(normalised, operator="and")[:SEARCH_RESULT_LIMIT])
    courses = courses_of_lessons(results)
    for lesson in results:
        lesson.course = courses.get(lesson.pk)
    return results


@dataclass
class CompletionTable:
    lessons: list[LessonPage]
    rows: list[tuple[object, list[bool]]]

    @property
    def lesson_totals(self) -> list[int]:
        return [sum(row[1][i] for row in self.rows) for i in range(len(self.lessons))]


def completion_table(*, course: CoursePage, students: list) -> CompletionTable:
    """Students × lessons: who finished what (students in the given order)."""
    lessons = list(lessons_for_course(course))
    done = set(
        LessonProgress.objects.filter(
            lesson__in=lessons, student__in=students
        ).values_list("student_id", "lesson_id")
    )
    rows = [
        (student, [(student.pk, lesson.pk) in done for lesson in lessons])
        for student in students
    ]
    return CompletionTable(lessons=lessons, rows=rows)


@dataclass(frozen=True)
class MediaFile:
    """A file under ``MEDIA_ROOT`` the admin shows, and whose it is."""

    file: object
    # The image's collection; ``None`` for a profile picture in the admin.
    collection: Collection | None


def get_media_file(path: str) -> MediaFile | None:
    """
    The image original, rendition or admin profile picture stored at
    ``path`` (relative to ``MEDIA_ROOT``), or ``None``. Documents are not
    among them: they have their own checked view.
    """
    image_model = get_image_model()
    image = image_model.objects.filter(file=path).select_related("collection").first()
    if image is not None:
        return MediaFile(image.file, image.collection)
    rendition = (
        image_model.get_rendition_model()
        .objects.filter(file=path)
        .select_related("image__collection")
        .first()
    )
    if rendition is not None:
        return MediaFile(rendition.file, rendition.image.collection)
    profile = UserProfile.objects.filter(avatar=path).first()
    if profile is not None:
        return MediaFile(profile.avatar, None)
    return None
