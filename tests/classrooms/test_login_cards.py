"""
The class's QR login cards (issue #16): the pupil's home-class teachers and
school admin make, print and void them; a printed sheet holds 8 cards a page
with the first name and class only; everyone else gets 404.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import LoginBadge
from classrooms import services
from classrooms.services import enroll_student
from tests.factories import StudentFactory


def _cards_url(classroom):
    return reverse("classrooms:login-cards", args=[classroom.pk])


def _print_url(classroom):
    return reverse("classrooms:print-class-cards", args=[classroom.pk])


def test_the_roster_links_to_the_cards_page(world, client):
    client.force_login(world.T1)
    roster = client.get(reverse("classrooms:roster", args=[world.C1.pk]))
    assert _cards_url(world.C1) in roster.content.decode()
    page = client.get(_cards_url(world.C1)).content.decode()
    assert world.S1.display_name in page and "Chưa có thẻ" in page


def test_a_class_sheet_has_eight_cards_a_page_with_first_name_and_class_only(
    world, client
):
    for n in range(8):
        enroll_student(
            classroom=world.C1, student=StudentFactory(display_name=f"Lý Văn Hùng{n}")
        )
    client.force_login(world.T1)
    response = client.post(_print_url(world.C1))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    sheets = page.split('<section class="sheet">')[1:]
    assert [s.count('<article class="card">') for s in sheets] == [8, 2]
    assert page.count('<svg viewBox="0 0') == 10  # a QR code per card
    text = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert "An" in text and "Lớp 6A1" in text
    # First names only: no surname, no full name, no token text.
    assert world.S1.display_name not in text and "Nguyễn" not in text
    assert "/b/" not in text
    assert LoginBadge.objects.filter(revoked_at__isnull=True).count() == 10


def test_printing_again_makes_new_cards_and_voids_the_old(world, client):
    client.force_login(world.T1)
    client.post(_print_url(world.C1))
    first = set(LoginBadge.objects.values_list("token_hash", flat=True))
    client.post(_print_url(world.C1))
    in_use = set(
        LoginBadge.objects.filter(revoked_at__isnull=True).values_list(
            "token_hash", flat=True
        )
    )
    assert len(in_use) == 2 and not in_use & first


def test_one_pupils_card_can_be_printed_and_voided_from_the_cards_page(world, client):
    client.force_login(world.T1)
    one = client.post(
        reverse("classrooms:print-student-card", args=[world.C1.pk, world.S1.pk])
    )
    assert one.content.decode().count('<article class="card">') == 1
    page = client.get(_cards_url(world.C1)).content.decode()
    assert "Có thẻ từ" in page and "Huỷ thẻ" in page
    void = client.post(
        reverse("classrooms:void-student-card", args=[world.C1.pk, world.S1.pk]),
        follow=True,
    )
    assert "Đã huỷ thẻ đăng nhập" in void.content.decode()
    assert not LoginBadge.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize("outsider", ["T2", "T3", "A2", "S1", "P1"])
def test_nobody_outside_the_class_reaches_its_cards(world, outsider):
    client = Client()
    client.force_login(getattr(world, outsider))
    urls = [
        ("get", _cards_url(world.C1)),
        ("post", _print_url(world.C1)),
        (
            "post",
            reverse("classrooms:print-student-card", args=[world.C1.pk, world.S1.pk]),
        ),
        (
            "post",
            reverse("classrooms:void-student-card", args=[world.C1.pk, world.S1.pk]),
        ),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert not LoginBadge.objects.exists()


def test_the_school_admin_may_print_the_cards(world, client):
    client.force_login(world.A1)
    assert client.post(_print_url(world.C1)).status_code == 200
    assert LoginBadge.objects.count() == 2


def test_a_pupil_whose_home_class_is_elsewhere_keeps_their_card(world):
    # S3's home class is C2; joining C1 later gives C1's teacher no account powers.
    enroll_student(classroom=world.C1, student=world.S3)
    issued = services.issue_login_cards(classroom=world.C1, by=world.T1)
    assert world.S3 not in [student for student, _ in issued]
    with pytest.raises(PermissionDenied):
        services.issue_login_card(student=world.S3, by=world.T1)
    with pytest.raises(PermissionDenied):
        services.void_login_card(student=world.S3, by=world.T1)
