"""The authorisation world matches the catalogue and names nothing twice."""

from itertools import permutations

from classrooms.models import Enrollment, ParentLink
from tests.worlds import World


def test_world_has_the_catalogues_shape(world: World):
    for school, admin, classes in (
        (world.school_a, world.A1, (world.C1, world.C2)),
        (world.school_b, world.A2, (world.C3, world.C4)),
    ):
        assert list(school.admins.all()) == [admin]
        assert set(school.classrooms.all()) == set(classes)
    assert [c.homeroom_teacher for c in (world.C1, world.C2, world.C3, world.C4)] == (
        world.people("T")
    )
    enrolled = {
        (world.label(e.student), world.label(e.classroom))
        for e in Enrollment.objects.all()
    }
    assert enrolled == {
        ("S1", "C1"), ("S2", "C1"), ("S3", "C2"), ("S4", "C2"),
        ("S5", "C3"), ("S6", "C3"), ("S7", "C4"), ("S8", "C4"),
    }  # fmt: skip
    links = {
        (world.label(x.parent), world.label(x.student))
        for x in ParentLink.objects.all()
    }
    assert links == {("P1", "S1"), ("P2", "S2"), ("P2", "S3")}


def test_no_name_code_or_username_is_part_of_another(world: World):
    people = [user for kind in "ATSP" for user in world.people(kind)]
    classes = [world.C1, world.C2, world.C3, world.C4]
    words = (
        [u.display_name for u in people]
        + [u.username for u in people]
        + [u.email for u in people if u.email]
        + [c.name for c in classes]
        + [c.join_code for c in classes]
        + [world.school_a.name, world.school_b.name]
    )
    assert len(set(words)) == len(words)
    assert not [(a, b) for a, b in permutations(words, 2) if a in b]
