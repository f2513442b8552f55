"""Pages of the live rooms: schedule, room, open/end, tickets, reports, feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from files.spreadsheets import csv_response
from live.models import CalendarFeed
from live.protocol import TEACHER

from . import calendar, permissions, selectors, services, slides
from .forms import LiveSessionForm


@login_required
def session_list(request):
    sessions = permissions.visible_sessions(request.user).order_by("-scheduled_at")
    return render(request, "live/session_list.html", {"sessions": sessions[:100]})


@login_required
def session_create(request):
    classrooms = selectors.classrooms_for_new_session(request.user)
    if not classrooms.exists():
        raise Http404
    form = LiveSessionForm(
        request.POST or None, classrooms=classrooms, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(by=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lên lịch buổi học."))
            return redirect("live:room", session_id=session.pk)
    return render(request, "live/session_form.html", {"form": form})


@login_required
def room(request, session_id):
    session = get_object_or_404(
        permissions.visible_sessions(request.user), pk=session_id
    )
    role = permissions.room_role(request.user, session)
    if (
        role is None
        and permissions.attendance_visible_students(request.user, session).exists()
    ):
        # A parent does not join the room; their link shows their child's attendance.
        return redirect("live:attendance", session_id=session.pk)
    if role is None:
        raise Http404
    context = {
        "session": session,
        "role": role,
        "slides": slides.slide_html(session),
        "can_manage": role == TEACHER,
        "recording": (
            selectors.recording_of(session)
            if permissions.may_hear_recording(request.user, session)
            else None
        ),
    }
    return render(request, "live/live_session.html", context)


@login_required
def projector(request, session_id):
    """The live quiz for a classroom projector: the room's teachers only."""
    session = get_object_or_404(
        permissions.visible_sessions(request.user), pk=session_id
    )
    if permissions.room_role(request.user, session) != TEACHER:
        raise Http404
    return render(request, "live/projector.html", {"session": session})


def _transition(request, session_id, action, done):
    session = get_object_or_404(
        permissions.managed_sessions(request.user), pk=session_id
    )
    try:
        action(session=session, by=request.user)
        messages.success(request, done)
    except (PermissionDenied, ValidationError):
        messages.error(request, _("Buổi học không thể chuyển sang trạng thái này."))
    return redirect("live:room", session_id=session.pk)


@require_POST
@login_required
def session_open(request, session_id):
    return _transition(request, session_id, services.open_session, _("Đã mở lớp."))


@require_POST
@login_required
def session_end(request, session_id):
    return _transition(request, session_id, services.end_session, _("Đã kết thúc."))


@require_POST
@login_required
def ticket(request, session_id):
    session = get_object_or_404(
        permissions.visible_sessions(request.user), pk=session_id
    )
    if permissions.room_role(request.user, session) is None:
        raise Http404
    return JsonResponse(
        services.issue_ticket(
            user=request.user,
            session=session,
            login_session_key=request.session.session_key,
        )
    )


@login_required
def attendance(request, session_id):
    session = get_object_or_404(
        permissions.visible_sessions(request.user), pk=session_id
    )
    rows = selectors.attendance_report(session, request.user)
    if not rows:
        raise Http404
    if request.GET.get("format") == "csv":
        return _attendance_csv(session, rows)
    return render(request, "live/attendance.html", {"session": session, "rows": rows})


def _attendance_csv(session, rows) -> HttpResponse:
    table = [[_("Học sinh"), _("Trạng thái"), _("Vào lúc"), _("Số phút")]]
    for row in rows:
        first = row.first_joined_at
        first = localtime(first).strftime("%Y-%m-%d %H:%M") if first else ""
        table.append([row.name, row.status_label, first, row.minutes])
    return csv_response(table, f"attendance-{session.pk}.csv")


@require_POST
@login_required
def calendar_feed_create(request):
    """Make the user's private calendar link, then show it on their home."""
    services.create_calendar_feed(user=request.user)
    messages.success(request, _("Đã tạo liên kết lịch riêng của bạn."))
    return redirect(reverse("home") + "#live-calendar")


@require_POST
@login_required
def calendar_feed_rotate(request):
    """A new private calendar link; the old one stops working."""
    if services.rotate_calendar_feed(user=request.user) is None:
        raise Http404
    messages.success(
        request,
        _(
            "Đã đổi liên kết lịch. Liên kết cũ không còn dùng được: hãy thêm liên kết mới vào ứng dụng lịch."
        ),
    )
    return redirect(reverse("home") + "#live-calendar")


def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    body = calendar.render_feed(feed.user, request.build_absolute_uri("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
