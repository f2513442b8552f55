"""
Who may read a course because of a classroom: registered into the
``courses.hooks.VISIBLE_COURSE_IDS`` hook, since ``courses`` sits below
``classrooms`` and cannot ask us directly.

Students enrolled in a class linked to the course, their parents, the
class's teachers and its school's admins may read it. The answer is a
subquery computed per request, so unenrolling takes effect at once.
"""

from wagtail import hooks

from courses.hooks import VISIBLE_COURSE_IDS

from .models import Classroom


@hooks.register(VISIBLE_COURSE_IDS)
def course_ids_through_classrooms(user):
    return Classroom.courses.through.objects.filter(
        classroom__in=Classroom.objects.visible_to(user).values("pk")
    ).values("coursepage_id")
