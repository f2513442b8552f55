"""
What a parent sees of each linked child, gathered from every app.

Everything here is a subset of what the child may see: homework comes from
``assignments.selectors.assignment_list_for_student`` (grades only once
returned, security-tests AZ-13), attendance and quiz results are the child's
own rows. The parent–child link is checked on every request, so removing it
removes access at once (AZ-03).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from assignments.selectors import MISSING, TO_DO, assignment_list_for_student
from classrooms.models import Classroom, ParentLink
from classrooms.selectors import children_for_parent
from courses.selectors import course_outline_for_user
from live.models import (
    Attendance,
    LiveSession,
    QuizRunScore,
    RunStatus,
    SessionStatus,
)

WEEK = timedelta(days=7)


@dataclass
class ChildOverview:
    child: User
    classrooms: list[Classroom]
    due_this_week: list[dict] = field(default_factory=list)
    upcoming: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    submitted: list[dict] = field(default_factory=list)
    returned: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    quiz_results: list[QuizRunScore] = field(default_factory=list)

    @property
    def attended_count(self) -> int:
        return sum(1 for row in self.attendance if row["present"])


def linked_child_or_404(parent: User, child_pk: int) -> User:
    """The child, if linked to ``parent`` right now; otherwise 404."""
    if not parent.is_parent:
        raise Http404
    link = (
        ParentLink.objects.filter(parent=parent, student_id=child_pk)
        .select_related("student")
        .first()
    )
    if link is None or not link.student.is_active:
        raise Http404
    return link.student


def _homework(overview: ChildOverview, now: datetime) -> None:
    groups = assignment_list_for_student(overview.child)
    for row in groups["todo"]:
        if row["state"] == MISSING:
            overview.missing.append(row)
        elif row["state"] == TO_DO and row["assignment"].due_at <= now + WEEK:
            overview.due_this_week.append(row)
        else:
            overview.upcoming.append(row)
    overview.submitted = groups["submitted"] + groups["late"]
    overview.returned = sorted(
        groups["returned"],
        key=lambda row: row["submission"].returned_at or now,
        reverse=True,
    )


def _attendance(overview: ChildOverview, since: datetime | None) -> None:
    sessions = LiveSession.objects.filter(
        classroom__in=overview.classrooms, status=SessionStatus.ENDED
    ).select_related("classroom")
    if since is not None:
        sessions = sessions.filter(scheduled_at__gte=since)
    presence = {
        a.session_id: a
        for a in Attendance.objects.filter(user=overview.child, session__in=sessions)
    }
    overview.attendance = [
        {
            "session": session,
            "present": session.pk in presence
            and presence[session.pk].first_joined_at is not None,
            "minutes": (presence[session.pk].connected_seconds // 60)
            if session.pk in presence
            else 0,
        }
        for session in sessions.order_by("-scheduled_at")
    ]


def _courses(overview: ChildOverview) -> None:
    for classroom in overview.classrooms:
        for course in classroom.courses.live():
            outline = course_outline_for_user(course=course, user=overview.child)
            overview.courses.append(
                {"course": course, "classroom": classroom, "outline": outline}
            )


def child_overview(child: User, *, since: datetime | None = None) -> ChildOverview:
    """One child's homework, lessons, attendance and quiz results."""
    now = timezone.now()
    overview = ChildOverview(
        child=child,
        classrooms=list(Classroom.objects.attended_by(child).select_related("school")),
    )
    _homework(overview, now)
    _attendance(overview, since)
    _courses(overview)
    scores = QuizRunScore.objects.filter(
        student=child, run__status=RunStatus.ENDED
    ).select_related("run", "run__session")
    if since is not None:
        scores = scores.filter(run__started_at__gte=since)
    overview.quiz_results = list(scores.order_by("-run__started_at"))
    return overview


def child_overviews_for_parent(parent: User) -> list[ChildOverview]:
    return [child_overview(child) for child in children_for_parent(parent)]
