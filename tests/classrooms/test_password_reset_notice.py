"""
Issue #11, Build 2: every password reset by a teacher or admin tells the pupil
and their linked parents (in the app and by their email), and no one else.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from classrooms import services
from notifications import services as notifications
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def _notices(user):
    return Notification.objects.filter(
        recipient=user, event=notifications.PASSWORD_RESET
    )


def test_a_reset_tells_the_pupil_and_their_parent_who_did_it(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reset_student_password(student=world.S1, by=world.T1)
    pupil = _notices(world.S1).get()
    parent = _notices(world.P1).get()
    assert world.T1.display_name in pupil.body
    assert world.S1.username in pupil.body
    assert world.S1.display_name in parent.title
    assert world.T1.display_name in parent.body
    assert Delivery.objects.filter(notification=parent).exists()


def test_a_reset_tells_no_other_family(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reset_student_password(student=world.S1, by=world.A1)
    told = set(
        Notification.objects.filter(event=notifications.PASSWORD_RESET).values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.S1.pk, world.P1.pk}


def test_a_refused_reset_tells_no_one(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(PermissionDenied):
            services.reset_student_password(student=world.S1, by=world.T3)
    assert not Notification.objects.filter(event=notifications.PASSWORD_RESET)


def test_the_roster_reset_button_sends_the_notices(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.T1)
    url = reverse("classrooms:reset-student-password", args=[world.C1.pk, world.S2.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200
    assert _notices(world.S2).count() == 1
    assert _notices(world.P2).count() == 1
