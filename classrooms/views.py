"""
Classroom pages. Each view parses input, asks ``permissions`` for the objects
the user may reach (anything else is a 404) and calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from accounts.badges import badge_in_use
from courses import permissions as course_permissions

from . import hooks, permissions, selectors, services
from .forms import ClassroomForm, JoinClassroomForm, LinkChildForm, RosterImportForm


def _managed(request, pk):
    return get_object_or_404(permissions.managed_classrooms(request.user), pk=pk)


def _roster_student(request, pk, student_pk):
    classroom = _managed(request, pk)
    students = permissions.roster_students(request.user, classroom)
    return classroom, get_object_or_404(students, pk=student_pk)


@login_required
def create_classroom(request):
    schools = selectors.schools_for_new_classroom(request.user)
    if not schools:
        raise Http404
    form = ClassroomForm(request.POST or None, schools=schools)
    if form.is_valid():
        try:
            classroom = services.create_classroom(
                **form.cleaned_data, created_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo lớp %(name)s.") % {"name": classroom})
            return redirect("classrooms:classroom-detail", pk=classroom.pk)
    return render(request, "classrooms/classroom_form.html", {"form": form})


@login_required
@cache_control(private=True)
def classroom_detail(request, pk):
    user = request.user
    classroom = get_object_or_404(permissions.visible_classrooms(user), pk=pk)
    can_manage = permissions.can_manage_classroom(user, classroom)
    courses = [
        {
            "course": course,
            "can_edit": course_permissions.can_edit_course(user, course),
        }
        for course in classroom.courses.live().specific().order_by("title")
        if course_permissions.can_view_course(user, course)
    ]
    context = {
        "classroom": classroom,
        "can_manage": can_manage,
        "teachers": selectors.teacher_list_for_classroom(classroom),
        "student_count": classroom.enrollments.count(),
        "courses": courses,
        "sections": hooks.classroom_sections(classroom, user),
    }
    return render(request, "classrooms/classroom_detail.html", context)


@login_required
@require_POST
def change_join_code(request, pk, action):
    classroom = _managed(request, pk)
    if action == "regenerate":
        services.regenerate_join_code(classroom=classroom, by=request.user)
        messages.success(
            request, _("Đã tạo mã vào lớp mới; mã cũ không dùng được nữa.")
        )
    else:
        enabled = action == "enable"
        services.set_join_enabled(classroom=classroom, enabled=enabled, by=request.user)
        messages.success(
            request,
            _("Đã mở vào lớp bằng mã.") if enabled else _("Đã khóa vào lớp bằng mã."),
        )
    return redirect("classrooms:classroom-detail", pk=classroom.pk)


@login_required
@never_cache
def roster(request, pk):
    classroom = _managed(request, pk)
    context = {
        "classroom": classroom,
        "students": selectors.student_list_for_classroom(classroom),
    }
    return render(request, "classrooms/roster.html", context)


@login_required
@never_cache
def student_detail(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    context = {
        "classroom": classroom,
        "student": student,
        "parent_links": selectors.parent_links_for_student(student),
        "card": badge_in_use(student),
        "removable": set(
            permissions.removable_parent_links(request.user).values_list(
                "pk", flat=True
            )
        ),
    }
    return render(request, "classrooms/student_detail.html", context)


@login_required
@require_POST
def remove_student(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    services.remove_student(classroom=classroom, student=student, by=request.user)
    messages.success(
        request, _("Đã xóa %(name)s khỏi lớp.") % {"name": student.display_name}
    )
    return redirect("classrooms:roster", pk=classroom.pk)


@login_required
@require_POST
@never_cache
def create_parent_invite(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    invite = services.create_parent_invite(student=student, by=request.user)
    context = {"classroom": classroom, "student": student, "invite": invite}
    return render(request, "classrooms/parent_invite.html", context)


@login_required
@require_POST
@never_cache
def reset_student_password(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    password = services.reset_student_password(student=student, by=request.user)
    context = {"classroom": classroom, "student": student, "password": password}
    return render(request, "classrooms/student_password.html", context)


@login_required
@require_POST
def end_student_sessions(request, pk, student_pk):
    classroom, student = _roster_student(request, pk, student_pk)
    services.end_student_sessions(student=student, by=request.user)
    messages.success(
        request,
        _("%(name)s đã được đăng xuất khỏi mọi thiết bị.")
        % {"name": student.display_name},
    )
    return redirect("classrooms:student-detail", pk=classroom.pk, student_pk=student.pk)


@login_required
@require_POST
def set_school_join_policy(request, pk):
    """A school admin's switch: may pupils of other schools join by code?"""
    school = get_object_or_404(permissions.administered_schools(request.user), pk=pk)
    allowed = request.POST.get("allow_external_pupils") == "on"
    services.set_external_pupils_allowed(
        school=school, allowed=allowed, by=request.user
    )
    if allowed:
        messages.success(request, _("Học sinh trường khác có thể vào lớp bằng mã."))
    else:
        messages.success(
            request, _("Chỉ học sinh của trường mới vào được lớp bằng mã.")
        )
    return redirect(reverse("home") + f"#school-{school.pk}")


@login_required
def join_classroom(request):
    form = JoinClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.join_classroom_by_code(
                student=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, _("Bạn đã vào lớp %(name)s.") % {"name": classroom}
            )
            return redirect("classrooms:classroom-detail", pk=classroom.pk)
    return render(request, "classrooms/join_classroom.html", {"form": form})


@login_required
def link_child(request):
    form = LinkChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_parent_by_code(
                parent=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            name = link.student.display_name
            messages.success(
                request, _("Đã liên kết với con: %(name)s.") % {"name": name}
            )
            return redirect("home")
    return render(request, "classrooms/link_child.html", {"form": form})


@login_required
@require_POST
def remove_parent_link(request, link_pk):
    removable = permissions.removable_parent_links(request.user)
    link = get_object_or_404(removable.select_related("parent", "student"), pk=link_pk)
    services.unlink_parent(link=link, by=request.user)
    messages.success(
        request,
        _("Đã hủy liên kết giữa %(parent)s và %(student)s.")
        % {"parent": link.parent.display_name, "student": link.student.display_name},
    )
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    return redirect(next_url if safe else "home")


@login_required
@never_cache
def import_roster(request, pk):
    classroom = _managed(request, pk)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_roster(
                classroom=classroom,
                data=form.cleaned_data["file"].read(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
    context = {
        "classroom": classroom,
        "form": form,
        "result": result,
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
    }
    return render(request, "classrooms/roster_import.html", context)
