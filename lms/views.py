"""
Role homes. They live in the project wiring because a home gathers what is
next from every app (classes, lessons, homework, live sessions), and only the
wiring may import from all of them.

To add a section to a home: append a context builder ``(user) -> dict`` to
that role's list in ``HOME_SECTIONS`` and an ``{% include %}`` to the slot
marked in ``templates/homes/<role>.html``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from accounts.models import Role
from assignments import selectors as assignment_selectors
from classrooms import selectors as classroom_selectors
from classrooms.forms import JoinClassroomForm, LinkChildForm
from families import home as parent_home
from live.rooms import selectors as live_selectors

HOME_TEMPLATES = {
    Role.TEACHER: "homes/teacher.html",
    Role.STUDENT: "homes/student.html",
    Role.PARENT: "homes/parent.html",
    Role.SCHOOL_ADMIN: "homes/school_admin.html",
}


def _classes(user):
    return {"classrooms": classroom_selectors.classroom_cards_for_user(user)}


def _join_form(user):
    return {"join_form": JoinClassroomForm()}


def _children(user):
    return {
        "children": classroom_selectors.child_cards_for_parent(user),
        "link_form": LinkChildForm(),
    }


def _schools(user):
    return {"schools": classroom_selectors.school_overviews_for_admin(user)}


HOME_SECTIONS = {
    Role.TEACHER: [
        _classes,
        assignment_selectors.home_context,
        live_selectors.home_context,
    ],
    Role.STUDENT: [
        _classes,
        _join_form,
        assignment_selectors.home_context,
        live_selectors.home_context,
    ],
    Role.PARENT: [
        _children,
        parent_home.children_with_overviews,
        live_selectors.home_context,
    ],
    Role.SCHOOL_ADMIN: [_schools],
}


@login_required
@cache_control(private=True)
def home(request):
    """Each role lands on its own page after login."""
    context = {}
    for build in HOME_SECTIONS[request.user.role]:
        context.update(build(request.user))
    return render(request, HOME_TEMPLATES[request.user.role], context)
