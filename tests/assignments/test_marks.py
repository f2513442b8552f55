"""
The grader's marks on homework photos (assignments.marks): a quarter turn
and pen strokes and stamps as vector data, saved with the grade or not at
all, shown to the pupil and parents only once the work is returned; and the
photo renditions the viewer and the pupil's page load.
"""

import json
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from assignments import marks, services
from assignments.models import PhotoRendition, Submission, SubmissionFile
from tests.assignments.conftest import photo, submit

PEN = {"t": "pen", "p": [100, 100, 200, 150, 300, 180]}
TICK = {"t": "ok", "x": 500, "y": 640}


def _photos(submission):
    return list(
        SubmissionFile.objects.filter(version__submission=submission).order_by("pk")
    )


def _marks_json(stored, rotation=90, drawn=(PEN, TICK)):
    return json.dumps({str(stored.pk): {"r": rotation, "m": list(drawn)}})


def test_marks_and_turn_are_saved_with_the_grade(world, homework):
    submission = submit(homework, world.S1, photos=[photo(), photo("b.jpg")])
    first, second = _photos(submission)
    services.grade_submission(
        submission=submission, by=world.T1, score=8, marks=_marks_json(first)
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.rotation == 90 and first.marks == [PEN, TICK]
    assert second.rotation == 0 and second.marks == []


def test_grading_again_without_marks_keeps_the_saved_ones(world, homework):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    services.grade_submission(
        submission=submission, by=world.T1, score=8, marks=_marks_json(stored)
    )
    services.grade_submission(submission=submission, by=world.T1, score=9)
    stored.refresh_from_db()
    assert stored.marks == [PEN, TICK] and stored.rotation == 90


BAD_MARKS = {
    "not json": "{nope",
    "a list": "[]",
    "rotation 45": '{"ID": {"r": 45, "m": []}}',
    "rotation as text": '{"ID": {"r": "90", "m": []}}',
    "unknown stamp": '{"ID": {"m": [{"t": "heart", "x": 1, "y": 2}]}}',
    "point beyond 1000": '{"ID": {"m": [{"t": "ok", "x": 1001, "y": 2}]}}',
    "negative point": '{"ID": {"m": [{"t": "ok", "x": -1, "y": 2}]}}',
    "float point": '{"ID": {"m": [{"t": "ok", "x": 1.5, "y": 2}]}}',
    "true as a point": '{"ID": {"m": [{"t": "ok", "x": true, "y": 2}]}}',
    "odd pen points": '{"ID": {"m": [{"t": "pen", "p": [1, 2, 3]}]}}',
    "one-number pen": '{"ID": {"m": [{"t": "pen", "p": [1]}]}}',
    "extra key": '{"ID": {"m": [{"t": "ok", "x": 1, "y": 2, "html": "<b>"}]}}',
    "unknown photo key": '{"ID": {"r": 0, "m": [], "colour": "red"}}',
}


@pytest.mark.parametrize("raw", BAD_MARKS.values(), ids=BAD_MARKS.keys())
def test_mark_data_of_the_wrong_shape_is_refused_and_nothing_is_saved(
    world, homework, raw
):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    with pytest.raises(ValidationError) as error:
        services.grade_submission(
            submission=submission,
            by=world.T1,
            score=8,
            marks=raw.replace("ID", str(stored.pk)),
        )
    assert error.value.message_dict["marks"] == [str(marks.MARKS_BROKEN)]
    submission.refresh_from_db()
    stored.refresh_from_db()
    assert submission.score is None and stored.marks == [] and stored.rotation == 0


def test_too_many_marks_on_one_photo_are_refused(world, homework):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    many = [TICK] * (marks.MAX_MARKS_PER_PHOTO + 1)
    with pytest.raises(ValidationError) as error:
        services.grade_submission(
            submission=submission,
            by=world.T1,
            score=8,
            marks=_marks_json(stored, drawn=many),
        )
    assert "tối đa 200 nét" in error.value.message_dict["marks"][0]
    assert Submission.objects.get().score is None


def test_strokes_with_too_many_points_in_all_are_refused(world, homework):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    stroke = {"t": "pen", "p": [10, 20] * marks.MAX_POINTS_PER_STROKE}
    drawn = [stroke] * (marks.MAX_POINTS_PER_PHOTO // marks.MAX_POINTS_PER_STROKE + 1)
    with pytest.raises(ValidationError):
        services.grade_submission(
            submission=submission,
            by=world.T1,
            score=8,
            marks=_marks_json(stored, drawn=drawn),
        )
    stored.refresh_from_db()
    assert stored.marks == []


def test_mark_data_larger_than_the_bound_is_refused_before_it_is_read(world, homework):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    raw = _marks_json(stored) + " " * marks.MAX_JSON_BYTES
    with pytest.raises(ValidationError) as error:
        services.grade_submission(
            submission=submission, by=world.T1, score=8, marks=raw
        )
    assert error.value.message_dict["marks"] == [str(marks.MARKS_TOO_BIG)]


def test_marks_on_another_pupils_photo_are_refused(world, homework):
    mine = submit(homework, world.S1)
    theirs = submit(homework, world.S2)
    (their_photo,) = _photos(theirs)
    with pytest.raises(ValidationError) as error:
        services.grade_submission(
            submission=mine, by=world.T1, score=8, marks=_marks_json(their_photo)
        )
    assert error.value.message_dict["marks"] == [str(marks.MARKS_OTHER_PHOTO)]
    their_photo.refresh_from_db()
    assert their_photo.marks == [] and Submission.objects.get(pk=mine.pk).score is None


def test_a_refused_score_saves_no_marks_either(world, homework):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    with pytest.raises(ValidationError):
        services.grade_submission(
            submission=submission, by=world.T1, score=99, marks=_marks_json(stored)
        )
    stored.refresh_from_db()
    assert stored.marks == []


def test_the_grading_form_saves_marks_and_shows_a_refusal_on_the_page(
    world, homework, as_user
):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    client = as_user(world.T1)
    url = reverse("assignments:submission", args=[submission.pk])
    bad = client.post(url, {"score": "8", "marks": '{"x": 1}'})
    assert bad.status_code == 200
    assert str(marks.MARKS_OTHER_PHOTO) in bad.content.decode()
    assert Submission.objects.get().score is None
    good = client.post(url, {"score": "8", "marks": _marks_json(stored), "return": "1"})
    assert good.status_code == 302
    stored.refresh_from_db()
    assert stored.marks == [PEN, TICK]


def _drawn(page: str) -> dict:
    layers = "".join(re.findall(r'<g class="marks"[^>]*>(.*?)</g>', page, re.S))
    return {
        "paths": layers.count("<path "),
        "ticks": layers.count('href="#stamp-ok"'),
        "turned": 'transform="translate(' in page,
    }


def test_pupil_and_parent_see_the_marks_only_once_the_work_is_returned(
    world, homework, client
):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    services.grade_submission(
        submission=submission, by=world.T1, score=8, marks=_marks_json(stored)
    )
    url = reverse("assignments:submission", args=[submission.pk])
    client.force_login(world.S1)
    before = client.get(url).content.decode()
    assert _drawn(before)["paths"] == 0 and _drawn(before)["ticks"] == 0
    services.return_submission(submission=submission, by=world.T1)
    for viewer in (world.S1, world.P1):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert _drawn(page) == {"paths": 1, "ticks": 1, "turned": True}
        # The photo is drawn by the permission-checked view, phone size.
        assert f'href="/homework/files/{stored.pk}/?size=phone"' in page


def test_the_teacher_page_draws_the_saved_marks_without_javascript(
    world, homework, as_user
):
    submission = submit(homework, world.S1)
    (stored,) = _photos(submission)
    services.grade_submission(
        submission=submission, by=world.T1, score=8, marks=_marks_json(stored)
    )
    page = as_user(world.T1).get(
        reverse("assignments:submission", args=[submission.pk])
    )
    html = page.content.decode()
    assert _drawn(html) == {"paths": 1, "ticks": 1, "turned": True}
    assert page.context["photo_marks"][str(stored.pk)] == {"r": 90, "m": [PEN, TICK]}


def test_svg_frame_turns_the_photo_and_swaps_its_sides():
    assert marks.frame(400, 300, 0) == {"width": 400, "height": 300, "transform": ""}
    assert marks.frame(400, 300, 90) == {
        "width": 300,
        "height": 400,
        "transform": "translate(300 0) rotate(90)",
    }
    assert marks.frame(400, 300, 270)["transform"] == "translate(0 400) rotate(270)"


def _size_of(response) -> tuple[int, int]:
    body = b"".join(response.streaming_content)
    with Image.open(BytesIO(body)) as image:
        return image.size


def test_photo_renditions_are_made_once_and_sized_for_phone_and_screen(
    world, homework, as_user
):
    submission = submit(homework, world.S1, photos=[photo(size=(2000, 1500))])
    (stored,) = _photos(submission)
    client = as_user(world.T1)
    url = reverse("assignments:file", args=[stored.pk])
    assert _size_of(client.get(url, {"size": "phone"})) == (800, 600)
    assert _size_of(client.get(url, {"size": "screen"})) == (1600, 1200)
    assert _size_of(client.get(url)) == (2000, 1500)
    client.get(url, {"size": "phone"})
    assert PhotoRendition.objects.filter(source=stored).count() == 2


def test_a_small_photo_is_sent_as_it_is_and_an_unknown_size_means_full(
    world, homework, as_user
):
    submission = submit(homework, world.S1, photos=[photo(size=(640, 480))])
    (stored,) = _photos(submission)
    client = as_user(world.T1)
    url = reverse("assignments:file", args=[stored.pk])
    assert _size_of(client.get(url, {"size": "phone"})) == (640, 480)
    assert _size_of(client.get(url, {"size": "huge"})) == (640, 480)
    assert not PhotoRendition.objects.exists()


def test_renditions_answer_with_the_same_404_to_others(world, homework, as_user):
    submission = submit(homework, world.S1, photos=[photo(size=(2000, 1500))])
    (stored,) = _photos(submission)
    url = reverse("assignments:file", args=[stored.pk])
    for outsider in (world.S2, world.P2, world.T2):
        assert as_user(outsider).get(url, {"size": "phone"}).status_code == 404
    assert not PhotoRendition.objects.exists()
