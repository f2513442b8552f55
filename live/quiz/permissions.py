"""
Who may see which results of the live quiz game. Views ask here; what a user may not see is
a 404 for the caller, so a run's existence is never confirmed to outsiders.

* a run's full results (every student): the teachers of its class only;
* one student's result: that student and their linked parents.
"""

from accounts.models import User
from classrooms.models import Classroom
from classrooms.permissions import is_parent_of
from live.models import QuizRun


def runs_with_full_results(user: User):
    """Runs whose class results ``user`` may see (teachers of the class)."""
    if not user.is_authenticated or not user.is_active or not user.is_teacher:
        return QuizRun.objects.none()
    return QuizRun.objects.filter(
        session__classroom__in=Classroom.objects.taught_by(user)
    )


def can_view_student_results(user: User, student: User) -> bool:
    """The student themself or a linked parent."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk == student.pk or is_parent_of(user, student)


def can_record_in_gradebook(user: User, run: QuizRun) -> bool:
    return runs_with_full_results(user).filter(pk=run.pk).exists()
