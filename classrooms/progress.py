"""
Class × lesson completion table for a course taught to a class.

It lives in ``classrooms`` because it needs the class roster, and
``courses`` (a lower layer) may not import classrooms. The rules stay where
they belong: who may see the roster in ``classrooms.permissions``, who
finished what in ``courses.selectors``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from courses import selectors as course_selectors
from courses.hooks import COURSE_LINKS, CourseLink

from . import permissions, selectors
from .models import Classroom


@login_required
def course_progress(request, pk: int, course_pk: int):
    classroom = get_object_or_404(permissions.managed_classrooms(request.user), pk=pk)
    course = get_object_or_404(classroom.courses.live().specific(), pk=course_pk)
    students = selectors.student_list_for_classroom(classroom)
    table = course_selectors.completion_table(course=course, students=students)
    return render(
        request,
        "courses/progress_table.html",
        {"classroom": classroom, "course": course, "table": table},
    )


@hooks.register(COURSE_LINKS)
def progress_links(course, user):
    """On a course page, a teacher sees one progress link per class they teach."""
    if not user.is_authenticated or user.is_student or user.is_parent:
        return []
    classrooms = Classroom.objects.managed_by(user).filter(courses=course)
    return [
        CourseLink(
            label=_("Tiến độ lớp %(name)s") % {"name": classroom.name},
            url=reverse(
                "course_progress:course-progress", args=[classroom.pk, course.pk]
            ),
        )
        for classroom in classrooms
    ]
