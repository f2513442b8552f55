"""
The teacher's "Bài chờ chấm" list (#15 Build 5): every piece of work waiting
to be graded, with its class, counted and paged, never silently capped.
"""

from django.urls import reverse

from assignments import services
from tests.assignments.conftest import make_assignment, submit


def hand_in(world, count):
    """``count`` homework of T1's class C1, each handed in by S1 and S2."""
    made = []
    for n in range(count):
        homework = make_assignment(world.T1, [world.C1], title=f"Bài số {n + 1:02d}")
        made += [submit(homework, world.S1, text="a"), submit(homework, world.S2)]
    return made


def test_twelve_submissions_waiting_are_all_listed_with_their_class(world, as_user):
    waiting = hand_in(world, 6)
    client = as_user(world.T1)
    home = client.get(reverse("home")).content.decode()
    # The home shows five homework, and says how many pieces wait in all.
    assert "Xem cả 12 bài chờ chấm" in home and "(ở 6 bài tập)" in home
    body = client.get(reverse("assignments:to-grade")).content.decode()
    assert "12 bài chờ chấm" in body
    for submission in waiting:
        assert reverse("assignments:submission", args=[submission.pk]) in body
    assert body.count(world.C1.name) == 12


def test_graded_work_and_other_teachers_classes_are_not_in_the_list(world, as_user):
    first, second = hand_in(world, 1)
    services.grade_submission(submission=first, by=world.T1, score=8, comment="")
    other = submit(make_assignment(world.T2, [world.C2]), world.S3)
    body = as_user(world.T1).get(reverse("assignments:to-grade")).content.decode()
    assert "1 bài chờ chấm" in body
    assert reverse("assignments:submission", args=[second.pk]) in body
    assert reverse("assignments:submission", args=[first.pk]) not in body
    assert reverse("assignments:submission", args=[other.pk]) not in body


def test_thirty_waiting_are_paged_twenty_five_then_five_oldest_first(world, as_user):
    waiting = hand_in(world, 15)
    client = as_user(world.T1)
    links = [reverse("assignments:submission", args=[s.pk]) for s in waiting]
    first = client.get(reverse("assignments:to-grade")).content.decode()
    second = client.get(reverse("assignments:to-grade") + "?page=2").content.decode()
    assert "30 bài chờ chấm" in first and "Trang 1/2" in first
    assert [link in first for link in links] == [True] * 25 + [False] * 5
    assert [link in second for link in links] == [False] * 25 + [True] * 5
    assert first.index(links[0]) < first.index(links[24])


def test_pupils_and_parents_get_404_for_the_list(world, as_user):
    for user in (world.S1, world.P1):
        assert as_user(user).get(reverse("assignments:to-grade")).status_code == 404
