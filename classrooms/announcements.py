"""
Class announcements: a teacher posts to a class, optionally to its parents.

Service, permission, form and views of one small feature, kept together
because nothing else uses them. The attachment is served only through
``download_attachment``, which asks ``visible_announcements`` first.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import NOT_ALLOWED
from files import uploads
from files.serving import private_file_response
from notifications import services as notifications

from . import permissions, selectors
from .models import Announcement, Classroom

TITLE_REQUIRED = _("Hãy nhập tiêu đề thông báo.")
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


def _clean_attachment(upload) -> tuple[ContentFile, str]:
    """The checked file (photos re-encoded without metadata) and its name."""
    try:
        clean = uploads.clean_document(upload)
    except uploads.UploadError as error:
        raise ValidationError(error.message, params=error.params)
    return ContentFile(clean.content, name=f"tep.{clean.extension}"), (
        clean.original_name
    )


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
        announcement.attachment, announcement.attachment_name = _clean_attachment(
            attachment
        )
    announcement.full_clean()
    announcement.save()
    recipients = selectors.student_and_parent_ids(
        classrooms=[classroom], with_parents=also_to_parents
    )
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
    return private_file_response(
        request,
        announcement.attachment,
        as_attachment=True,
        filename=announcement.attachment_name or "tep-dinh-kem",
    )
