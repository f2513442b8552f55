"""
The catalogue's record-level rows, each at its own figures, in the
two-school world of the authorisation matrix (``authz_world``):

- AZ-05: a pupil or parent walking ids 1..N of submissions, their files and
  quiz attempts gets back no object of another child;
- AZ-07: a pupil posting ``score``, ``status``, ``is_late`` or ``student``
  with their own work changes none of them (mass assignment);
- AZ-09: a teacher gets 404 for another class's gradebook export and sees no
  contact of a family outside their classes;
- AZ-13: a grade and its comment stay out of every page, notification and
  e-mail a pupil or parent gets until the teacher returns the work;
- AZ-14: no page a pupil or parent may open shows another person's e-mail;
  the account model stores no birth date or phone number at all;
- AZ-16: homework photos are not Wagtail images, so no rendition of one
  exists to reach, and the file is only served through its checked view.

Pages are "every GET row of the matrix the role may open", so a page added
with a row is probed here too.
"""

import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from accounts.models import User
from assignments import services as assignment_services
from assignments.models import Submission, SubmissionFile, SubmissionStatus
from assignments.quiz_homework import submit_quiz_attempt
from classrooms.models import ParentLink
from notifications.models import Notification
from tests.factories import ParentFactory
from tests.files.samples import image_bytes, upload
from tests.security.authz_matrix import paths, request
from tests.security.authz_world import build_authz_world
from tests.security.test_authorisation_matrix import ROWS

pytestmark = pytest.mark.django_db

S2_WORK = "Bài làm riêng của Bích Z9Q"
S2_COMMENT = "Nhận xét riêng cho Bích K4W"
S1_COMMENT = "Nhận xét chưa trả cho An R7T"
S1_SCORE = Decimal("8.75")


def pages(world, label):
    """(row name, status, text) of every page the matrix lets ``label`` GET."""
    client = Client()
    user = None if label == "anon" else world[label]
    for row in ROWS:
        if not row.get or label not in row.get:
            continue
        path, _ = paths(row, world)
        (status, body), _, _ = request(client, user, "get", path)
        yield row.name, status, body.decode("utf-8", "ignore")


def shown(world, label, needles):
    """The pages of ``label`` that show any of ``needles``."""
    return sorted(
        f"{name}: {needle!r}"
        for name, _, text in pages(world, label)
        for needle in needles
        if needle in text
    )


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """The authz world, plus S2's returned homework and quiz attempt in C1."""
    with django_capture_on_commit_callbacks(execute=True):
        world = build_authz_world()
        homework = world["a"].homework
        s2_work = assignment_services.submit_assignment(
            assignment=homework,
            student=world["S2"],
            idempotency_key=uuid.uuid4().hex,
            text=S2_WORK,
            photos=[upload("bich.jpg", image_bytes())],
        )
        assignment_services.grade_submission(
            submission=s2_work,
            by=world["T1"],
            score=Decimal("6.5"),
            comment=S2_COMMENT,
            and_return=True,
        )
        submit_quiz_attempt(
            assignment=world["a"].quiz_homework, student=world["S2"], answers={}
        )
    world["s2_work"] = s2_work
    return world


# -- AZ-05: sequential ids ----------------------------------------------------


def _sweep(client, route, model):
    """Answers to ids 1 .. the highest + 3 of ``model`` on ``route``."""
    top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for pk in range(1, top + 4):
        response = client.get(reverse(route, args=[pk]))
        yield pk, response


@pytest.mark.parametrize("label", ["S1", "P1"])
def test_walking_ids_returns_no_object_of_another_child(world, label):
    client = Client()
    client.force_login(world[label])
    own = Submission.objects.filter(student=world["S1"])
    served = {
        pk: response.content.decode()
        for pk, response in _sweep(client, "assignments:submission", Submission)
        if response.status_code == 200
    }
    assert set(served) == set(own.values_list("pk", flat=True))
    files = {
        pk
        for pk, response in _sweep(client, "assignments:file", SubmissionFile)
        if response.status_code == 200
    }
    assert files == set(
        SubmissionFile.objects.filter(version__submission__in=own).values_list(
            "pk", flat=True
        )
    )
    for text in served.values():
        for secret in (S2_WORK, S2_COMMENT, world["S2"].display_name):
            assert secret not in text
    # Quiz attempts are submissions too: S2's is among the ids walked above.
    assert world["S2"].submissions.filter(quiz_attempt__isnull=False).exists()


# -- AZ-07: mass assignment ---------------------------------------------------


def test_extra_fields_posted_with_own_work_change_nothing_they_name(world):
    s1, s2 = world["S1"], world["S2"]
    client = Client()
    client.force_login(s1)
    homework = world["a"].homework
    own = world["a"].submission
    forged = {
        "score": "10",
        "status": SubmissionStatus.RETURNED,
        "is_late": "false",
        "late": "false",
        "student": s2.pk,
        "graded_by": world["T1"].pk,
        "comment": "Tự cho điểm",
        "return": "1",
    }
    resubmit = client.post(
        reverse("assignments:detail", args=[homework.pk]),
        {"text": "Bài làm lại", "idempotency_key": uuid.uuid4().hex, **forged},
    )
    assert resubmit.status_code in (200, 302)
    on_own_page = client.post(reverse("assignments:submission", args=[own.pk]), forged)
    assert on_own_page.status_code == 200
    on_quiz = client.post(
        reverse("assignments:quiz-submit", args=[world["a"].quiz_homework.pk]),
        {**forged, "max_score": "1"},
    )
    assert on_quiz.status_code in (200, 302)
    own.refresh_from_db()
    assert own.student == s1
    assert own.score is None and own.comment == "" and own.graded_by is None
    assert own.status == SubmissionStatus.SUBMITTED
    # The resubmission went in as a new version of S1's own work, nothing else.
    assert own.versions.order_by("-number").first().text == "Bài làm lại"
    s2_work = world["s2_work"]
    s2_work.refresh_from_db()
    assert (s2_work.score, s2_work.comment) == (Decimal("6.5"), S2_COMMENT)
    attempt = Submission.objects.get(
        student=s1, assignment=world["a"].quiz_homework
    ).quiz_attempt
    assert attempt.score <= attempt.max_score
    assert attempt.max_score != Decimal("1")


# -- AZ-09: other classes' gradebooks and families ----------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_teacher_exporting_another_class_gradebook_gets_the_missing_404(world, fmt):
    client = Client()
    client.force_login(world["T1"])
    route = "assignments:gradebook-export"
    for other in (world["C2"], world["C3"]):
        foreign = client.get(reverse(route, args=[other.pk, fmt]))
        missing = client.get(reverse(route, args=[987654321, fmt]))
        assert foreign.status_code == missing.status_code == 404
        assert foreign.content == missing.content
    own = client.get(reverse(route, args=[world["C1"].pk, fmt]))
    assert own.status_code == 200


def test_teacher_sees_no_contact_of_a_family_outside_their_class(world):
    # P4 is the parent of S3 only (C2, same school): T1 has no business with it.
    p4 = ParentFactory(
        username="world_p4", display_name="Tạ Thị Vân", email="p4@world.example"
    )
    ParentLink.objects.create(parent=p4, student=world["S3"])
    for label in ("T1", "T2"):
        assert world[label].email  # the probe needs teachers with contacts
    outside = [p4.email, p4.display_name, world["P3"].email]
    assert shown(world, "T1", outside) == []
    # ...while T2, S3's teacher, is shown S3's parent on the pupil's page:
    # the probe sees contacts where a page has them.
    page = reverse("classrooms:student-detail", args=[world["C2"].pk, world["S3"].pk])
    teacher = Client()
    teacher.force_login(world["T2"])
    assert p4.display_name in teacher.get(page).content.decode()
    teacher.force_login(world["T1"])
    assert teacher.get(page).status_code == 404


# -- AZ-13: no grade before it is returned --------------------------------------


def test_a_grade_stays_hidden_until_returned_everywhere_it_could_show(
    world, django_capture_on_commit_callbacks
):
    work = world["a"].submission
    notices = Notification.objects.filter(recipient__in=[world["S1"], world["P1"]])
    before = notices.count()
    outbox = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.grade_submission(
            submission=work, by=world["T1"], score=S1_SCORE, comment=S1_COMMENT
        )
    # The score as pages show it (Vietnamese decimal comma). Not "8.75": a
    # timestamp with milliseconds (…:08.754Z) holds that by chance.
    secrets = [S1_COMMENT, "8,75"]
    for label in ("S1", "P1", "S2", "P2"):
        assert shown(world, label, secrets) == [], label
    assert notices.count() == before
    assert not [m for m in mail.outbox[outbox:] if S1_COMMENT in m.body]
    # The teacher sees it, and once returned the pupil and parent do too,
    # and are told: the probes would have caught a grade shown early.
    assert shown(world, "T1", [S1_COMMENT])
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.return_submission(submission=work, by=world["T1"])
    for label in ("S1", "P1"):
        assert shown(world, label, [S1_COMMENT, "8,75"]), label
    assert notices.count() > before
    for label in ("S2", "P2"):
        assert shown(world, label, secrets) == [], label


# -- AZ-14: field allowlist ---------------------------------------------------


@pytest.mark.parametrize("label", ["S1", "S2", "P1", "P2"])
def test_no_page_of_a_pupil_or_parent_shows_another_persons_email(world, label):
    me = world[label]
    # Pupils' e-mail is optional; give two classmates one to probe it.
    User.objects.filter(pk__in=[world["S1"].pk, world["S2"].pk]).update(
        email=models.functions.Concat(
            models.F("username"), models.Value("@world.example")
        )
    )
    others = [
        user.email
        for user in User.objects.exclude(pk=me.pk).exclude(email="")
        if user.email.endswith("@world.example")
    ]
    assert len(others) >= 9
    assert shown(world, label, others) == []


def test_accounts_store_no_birth_date_or_phone_number():
    names = {field.name for field in User._meta.get_fields()}
    assert not [n for n in names if "birth" in n or "phone" in n or "dob" == n]


# -- AZ-16: homework photos are not Wagtail images ----------------------------


def test_homework_photos_are_not_wagtail_images_and_have_no_rendition(world):
    assert not issubclass(SubmissionFile, AbstractImage)
    assert get_image_model() is not SubmissionFile
    photo = world["a"].photo
    # No Wagtail image shares the photo's stored file, so no rendition or
    # image-serve URL can reach it.
    image_files = set(get_image_model().objects.values_list("file", flat=True))
    assert photo.file.name not in image_files
    anon = Client()
    assert anon.get(reverse("assignments:file", args=[photo.pk])).status_code in (
        302,
        404,
    )
    # Nor is it under the public media URL by its stored name.
    public = anon.get(settings.MEDIA_URL + photo.file.name)
    assert public.status_code == 404
    owner = Client()
    owner.force_login(world["S1"])
    served = owner.get(reverse("assignments:file", args=[photo.pk]))
    assert served.status_code == 200
