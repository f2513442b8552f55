"""
Failed notification deliveries, for a school admin: nothing is dropped
silently. Lives here because "the users of a school" is a classrooms
question and ``notifications`` sits below ``classrooms``. Mounted at
``/parents/deliveries/`` (``delivery_patterns`` in ``classrooms.urls``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from notifications import services as notifications
from notifications.models import Delivery

from .models import School
from .selectors import student_and_parent_ids

RETRY_QUEUED = _("Đã xếp lại vào hàng gửi.")


def school_user_ids(schools) -> set[int]:
    """Staff, admins, enrolled students and their linked parents."""
    families = student_and_parent_ids(
        students=User.objects.filter(
            enrollments__classroom__school__in=schools
        ).values_list("pk", flat=True)
    )
    staff = User.objects.filter(
        Q(schools__in=schools) | Q(administered_schools__in=schools)
    ).values_list("pk", flat=True)
    return families | set(staff)


def failed_deliveries_for_admin(user):
    if not user.is_authenticated or not user.is_school_admin:
        return Delivery.objects.none()
    schools = School.objects.filter(admins=user)
    return (
        Delivery.objects.failed()
        .filter(notification__recipient__in=school_user_ids(schools))
        .select_related("notification__recipient")
        .order_by("-updated_at", "-pk")
    )


@login_required
def failed_deliveries(request):
    if not request.user.is_school_admin:
        raise Http404
    deliveries = failed_deliveries_for_admin(request.user)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    return render(request, "classrooms/failed_deliveries.html", {"page": page})


@login_required
@require_POST
def retry_delivery(request, pk):
    delivery = get_object_or_404(failed_deliveries_for_admin(request.user), pk=pk)
    notifications.retry_failed_delivery(delivery=delivery)
    messages.success(request, RETRY_QUEUED)
    return redirect("deliveries:failed")
