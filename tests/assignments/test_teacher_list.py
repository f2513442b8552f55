"""The teacher's homework list says, per homework, which classes and how far along."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assignments import selectors, services

from .conftest import make_assignment, submit

pytestmark = pytest.mark.django_db


def test_counts_handed_in_and_waiting_work_of_the_teachers_own_pupils(world):
    shared = make_assignment(world.A1, [world.C1, world.C2], title="Bài chung khối 6")
    submit(shared, world.S1)
    graded = submit(shared, world.S2)
    services.grade_submission(submission=graded, by=world.T1, score=Decimal(8))
    submit(shared, world.S3)  # C2: T1 does not teach S3

    (row,) = selectors.assignment_list_for_teacher(world.T1)
    assert (row.pupil_count, row.submitted_count, row.waiting_count) == (2, 2, 1)
    (row,) = selectors.assignment_list_for_teacher(world.A1)
    assert (row.pupil_count, row.submitted_count, row.waiting_count) == (4, 3, 2)


def test_list_page_shows_classes_and_progress(world, client):
    homework = make_assignment(world.T1, [world.C1], title="Bài Toán tuần 5")
    submit(homework, world.S1)
    make_assignment(world.T1, [world.C1], title="Bài nháp", publish=False)
    client.force_login(world.T1)
    body = client.get(reverse("assignments:list")).content.decode()
    cards = {
        title: next(c for c in body.split('<li class="card">') if title in c)
        for title in ("Bài Toán tuần 5", "Bài nháp")
    }
    assert world.C1.name in cards["Bài Toán tuần 5"]
    assert "1/2 đã nộp" in cards["Bài Toán tuần 5"]
    assert "1 chờ chấm" in cards["Bài Toán tuần 5"]
    assert "đã nộp" not in cards["Bài nháp"].split("</li>")[0]


def test_list_queries_do_not_grow_with_the_homework(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.T1)
    for n in range(6):
        submit(make_assignment(world.T1, [world.C1], title=f"Bài số {n}"), world.S1)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("assignments:list"))
    assert response.content.decode().count("1/2 đã nộp") == 6
