import pytest
from django.core import mail
from django.urls import reverse

from classrooms.services import enroll_student
from notifications import services
from notifications.models import Delivery, DeliveryStatus
from tests.factories import (
    ClassroomFactory,
    ParentLinkFactory,
    SchoolAdminFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

BOUNCING = "tests.notifications.conftest.BouncingEmailBackend"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def parent_in_new_school():
    classroom = ClassroomFactory()
    admin = SchoolAdminFactory()
    classroom.school.admins.add(admin)
    child = StudentFactory()
    enroll_student(classroom=classroom, student=child)
    return admin, ParentLinkFactory(student=child).parent


def fail_delivery_for(parent, settings, captured, title):
    settings.EMAIL_BACKEND = BOUNCING
    with captured(execute=True):
        services.notify(event="x", recipients=[parent], title=title)
    delivery = Delivery.objects.get(notification__title=title)
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        # Skip the backoff wait: make the retry due now.
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=delivery.created_at
        )
        services.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    return delivery


def test_admin_sees_failed_deliveries_of_their_school_only(
    client, settings, django_capture_on_commit_callbacks
):
    admin_a, parent_a = parent_in_new_school()
    _admin_b, parent_b = parent_in_new_school()
    fail_delivery_for(parent_a, settings, django_capture_on_commit_callbacks, "Thư A")
    fail_delivery_for(parent_b, settings, django_capture_on_commit_callbacks, "Thư B")
    client.force_login(admin_a)
    html = client.get(reverse("deliveries:failed")).content.decode()
    assert "Thư A" in html
    assert parent_a.email in html
    assert "mailbox unavailable" in html
    assert "Thư B" not in html


def test_admin_can_queue_a_failed_delivery_again(
    client, settings, django_capture_on_commit_callbacks
):
    admin, parent = parent_in_new_school()
    delivery = fail_delivery_for(
        parent, settings, django_capture_on_commit_callbacks, "Họp phụ huynh"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deliveries:retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [m.subject for m in mail.outbox] == ["[Lophoc] Họp phụ huynh"]


def test_other_schools_delivery_and_other_roles_get_404(
    client, settings, django_capture_on_commit_callbacks
):
    admin_a, _parent_a = parent_in_new_school()
    _admin_b, parent_b = parent_in_new_school()
    foreign = fail_delivery_for(
        parent_b, settings, django_capture_on_commit_callbacks, "Thư B"
    )
    client.force_login(admin_a)
    response = client.post(reverse("deliveries:retry", args=[foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == DeliveryStatus.FAILED
    client.force_login(parent_b)
    assert client.get(reverse("deliveries:failed")).status_code == 404
