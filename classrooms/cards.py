"""
Pupils' QR login cards (issue #16, accounts.badges): the class's card page,
printing a sheet for the whole class or one card, and voiding a card.

A card's token exists only while its sheet is being made: printing makes
new cards (the old ones stop working), so the sheet is a POST answered with
the page to print, never cached.
"""

from collections import Counter

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import LoginBadge, Role
from accounts.names import sort_people

from . import permissions, services
from .views import _managed, _roster_student

CARDS_PER_PAGE = 8


def _qr_svg(url: str) -> str:
    """The card's QR code as inline SVG, made here (no outside service)."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(border=4, svgclass="qr", omitsize=True))  # noqa: S308


def _card_name(student, taken: Counter) -> str:
    """The first name; with the middle name too when two share it."""
    first = student.get_short_name()
    if taken[first] > 1:
        return " ".join(student.display_name.split()[-2:])
    return first


def _cards(request, classroom, issued) -> list[dict]:
    taken = Counter(student.get_short_name() for student, _token in issued)
    return [
        {
            "first_name": _card_name(student, taken),
            "classroom": classroom.name,
            "qr": _qr_svg(
                request.build_absolute_uri(reverse("badge-sign-in", args=[token]))
            ),
        }
        for student, token in issued
    ]


def _sheet(request, classroom, issued):
    cards = _cards(request, classroom, issued)
    pages = [
        cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)
    ]
    context = {"classroom": classroom, "pages": pages, "count": len(cards)}
    response = render(request, "classrooms/login_cards_print.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
@never_cache
def login_cards(request, pk):
    classroom = _managed(request, pk)
    students = sort_people(
        permissions.roster_students(request.user, classroom).filter(role=Role.STUDENT)
    )
    in_use = dict(
        LoginBadge.objects.filter(
            user__in=students, revoked_at__isnull=True
        ).values_list("user_id", "created_at")
    )
    rows = [
        {
            "student": student,
            "card_since": in_use.get(student.pk),
            "manageable": permissions.can_manage_account(request.user, student),
        }
        for student in students
    ]
    return render(
        request,
        "classrooms/login_cards.html",
        {"classroom": classroom, "rows": rows},
    )


@login_required
@require_POST
@never_cache
def print_class_cards(request, pk):
    classroom = _managed(request, pk)
    issued = services.issue_login_cards(classroom=classroom, by=request.user)
    return _sheet(request, classroom, issued)


@login_required
@require_POST
@never_cache
def print_student_card(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    token = services.issue_login_card(student=student, by=request.user)
    return _sheet(request, classroom, [(student, token)])


@login_required
@require_POST
def void_student_card(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    if services.void_login_card(student=student, by=request.user):
        messages.success(
            request,
            _("Đã huỷ thẻ đăng nhập của %(name)s; em đã bị đăng xuất.")
            % {"name": student.display_name},
        )
    return redirect("classrooms:login-cards", pk=classroom.pk)
