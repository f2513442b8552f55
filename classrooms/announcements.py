"""
Class announcements: a teacher posts to a class, optionally to its parents.

Service, permission, form and views of one small feature, kept together
because nothing else uses them. The attachment is served only through
``download_attachment``, which asks ``visible_announcements`` first.
"""

import os
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from notifications import services as notifications

from . import permissions
from .models import Announcement, Classroom, ParentLink

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension → accepted leading bytes. Office files are zip containers.
ATTACHMENT_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
    "txt": [],
}

TITLE_REQUIRED = _("Hãy nhập tiêu đề thông báo.")
ATTACHMENT_TYPE = _(
    "Chỉ nhận tệp PDF, ảnh JPG/PNG, Word, Excel, PowerPoint hoặc văn bản."
)
ATTACHMENT_TOO_BIG = _("Tệp đính kèm lớn hơn 10 MB.")
NOT_ALLOWED = _("Bạn không có quyền đăng thông báo cho lớp này.")
POSTED = _("Đã đăng thông báo và báo cho học sinh.")


def visible_announcements(user: User):
    """Students see their class's; parents only those also sent to parents."""
    if not user.is_authenticated or not user.is_active:
        return Announcement.objects.none()
    return Announcement.objects.filter(
        Q(classroom__in=permissions.managed_classrooms(user))
        | Q(classroom__enrollments__student=user)
        | Q(
            classroom__enrollments__student__parent_links__parent=user,
            also_to_parents=True,
        )
    ).distinct()


def audience_for_classroom(classroom: Classroom, *, with_parents: bool) -> set[int]:
    """Ids of the class's students and, if asked, their linked parents."""
    student_ids = set(
        classroom.enrollments.filter(student__is_active=True).values_list(
            "student_id", flat=True
        )
    )
    if not with_parents:
        return student_ids
    parent_ids = ParentLink.objects.filter(student_id__in=student_ids).values_list(
        "parent_id", flat=True
    )
    return student_ids | set(parent_ids)


def _check_attachment(upload) -> str:
    """Validate type and size; return a safe display name."""
    name = unicodedata.normalize("NFC", os.path.basename(upload.name or ""))
    name = "".join(
        c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " "
    )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_SIGNATURES:
        raise ValidationError(ATTACHMENT_TYPE)
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(ATTACHMENT_TOO_BIG)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = ATTACHMENT_SIGNATURES[extension]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(ATTACHMENT_TYPE)
    if not signatures and b"\x00" in upload.read(4096):
        raise ValidationError(ATTACHMENT_TYPE)
    upload.seek(0)
    return name[-120:] or f"tep-dinh-kem.{extension}"


@transaction.atomic
def post_announcement(
    *,
    classroom: Classroom,
    author: User,
    title: str,
    body: str = "",
    attachment=None,
    also_to_parents: bool = False,
) -> Announcement:
    """Save the announcement; the class (and parents) hear of it after commit."""
    if not permissions.can_manage_classroom(author, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    if not (title or "").strip():
        raise ValidationError(TITLE_REQUIRED)
    announcement = Announcement(
        classroom=classroom,
        author=author,
        title=title.strip(),
        body=(body or "").strip(),
        also_to_parents=also_to_parents,
    )
    if attachment:
        announcement.attachment_name = _check_attachment(attachment)
        announcement.attachment = attachment
    announcement.full_clean()
    announcement.save()
    recipients = audience_for_classroom(classroom, with_parents=also_to_parents)
    recipients.discard(author.pk)
    notifications.notify(
        event=notifications.ANNOUNCEMENT_POSTED,
        recipients=recipients,
        title=f"{classroom.name}: {announcement.title}",
        body=announcement.body[:500],
        url=reverse("announcements:list", args=[classroom.pk])
        + f"#announcement-{announcement.pk}",
    )
    return announcement


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(
        label=_("Nội dung"), max_length=5000, required=False, widget=forms.Textarea
    )
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False)
    also_to_parents = forms.BooleanField(label=_("Gửi cả phụ huynh"), required=False)


@login_required
def announcement_list(request, pk):
    classroom = get_object_or_404(permissions.visible_classrooms(request.user), pk=pk)
    can_post = permissions.can_manage_classroom(request.user, classroom)
    context = {
        "classroom": classroom,
        "announcements": visible_announcements(request.user)
        .for_classroom(classroom)
        .select_related("author")[:50],
        "form": AnnouncementForm() if can_post else None,
    }
    return render(request, "classrooms/announcement_list.html", context)


@login_required
@require_POST
def create_announcement(request, pk):
    classroom = get_object_or_404(permissions.managed_classrooms(request.user), pk=pk)
    form = AnnouncementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post_announcement(
                classroom=classroom, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, POSTED)
            return redirect("announcements:list", pk=classroom.pk)
    context = {"classroom": classroom, "announcements": [], "form": form}
    return render(request, "classrooms/announcement_list.html", context, status=400)


@login_required
def download_attachment(request, announcement_pk):
    announcement = get_object_or_404(
        visible_announcements(request.user), pk=announcement_pk
    )
    if not announcement.attachment:
        raise Http404
    response = FileResponse(
        announcement.attachment.open("rb"),
        as_attachment=True,
        filename=announcement.attachment_name or "tep-dinh-kem",
    )
    response["Cache-Control"] = "private, no-store"
    return response
