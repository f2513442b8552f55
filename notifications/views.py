"""The notification list, mark-read actions and the preference form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferenceForm
from .models import Notification

PREFERENCES_SAVED = _("Đã lưu cài đặt thông báo.")


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.unread()
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    context = {"page": page, "only_unread": only_unread}
    return render(request, "notifications/notification_list.html", context)


def _mark_read_or_404(request, pk):
    try:
        return services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404(services.NOT_FOUND)


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = _mark_read_or_404(request, pk)
    url = notification.url
    safe = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(url if safe else "notifications:list")


@login_required
@require_POST
def mark_read(request, pk):
    _mark_read_or_404(request, pk)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = services.get_preference(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "email_mode": preference.email_mode,
            "weekly_summary": preference.weekly_summary,
        },
    )
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(services.PREFERENCE_INVALID)
            services.update_preference(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, PREFERENCES_SAVED)
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
