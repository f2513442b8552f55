import pytest
from django.urls import reverse

from classrooms.models import ParentLink
from classrooms.services import INVITE_CODE_INVALID, create_parent_invite, unlink_parent
from families.selectors import child_overview

pytestmark = pytest.mark.django_db


def test_overview_sorts_homework_into_the_parent_groups(family):
    overview = child_overview(family.an)
    titles = {
        name: [row["assignment"].title for row in getattr(overview, name)]
        for name in ("missing", "due_this_week", "submitted", "returned")
    }
    assert titles == {
        "missing": ["Bài Toán chương 2"],
        "due_this_week": ["Bài Văn tả cảnh"],
        "submitted": ["Bài Sử tuần 4"],
        "returned": ["Bài Lý lực đẩy"],
    }
    assert [(row["session"].title, row["present"]) for row in overview.attendance] == [
        ("Luyện đề", False),
        ("Ôn tập hình học", True),
    ]


def test_home_has_one_card_per_child_across_schools(client, family):
    client.force_login(family.parent)
    html = client.get(reverse("home")).content.decode()
    assert "Nguyễn Văn An" in html and "Nguyễn Thị Bình" in html
    assert "Bài Toán chương 2" in html  # An's overdue homework
    assert "English unit 3" in html  # Bình's, in another school
    assert "Làm rất tốt" in html  # the returned grade's comment
    assert "Lê Minh Cường" not in html
    assert reverse("parents:child", args=[family.an.pk]) in html


def test_unreturned_grade_is_never_shown_to_the_parent(client, family):
    client.force_login(family.parent)
    child_page = client.get(reverse("parents:child", args=[family.an.pk]))
    assert "Bài Sử tuần 4" in child_page.content.decode()  # listed as submitted
    for response in (child_page, client.get(reverse("home"))):
        html = response.content.decode()
        assert "Chưa đạt" not in html  # ...without the teacher's comment
        assert "4/10" not in html  # ...or the score


def test_child_page_shows_the_full_history(client, family):
    client.force_login(family.parent)
    response = client.get(reverse("parents:child", args=[family.an.pk]))
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    for text in (
        "Bài Toán chương 2",
        "Bài Văn tả cảnh",
        "Bài Lý lực đẩy",
        "9,50/10",  # Vietnamese decimal comma
        "Làm rất tốt",
        "Ôn tập hình học",
        "Luyện đề",
    ):
        assert text in html


def test_another_childs_page_is_404_with_the_same_body_as_a_missing_one(client, family):
    client.force_login(family.parent)
    other = client.get(reverse("parents:child", args=[family.stranger_child.pk]))
    missing = client.get(reverse("parents:child", args=[999999]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert "Lê Minh Cường" not in other.content.decode()


@pytest.mark.parametrize("role", ["an", "teacher"])
def test_child_page_is_only_for_parents(client, family, role):
    client.force_login(getattr(family, role))
    assert client.get(reverse("parents:child", args=[family.an.pk])).status_code == 404


def test_another_childs_submission_and_file_are_404(client, family):
    client.force_login(family.parent)
    submission = family.stranger_work
    photo = submission.versions.get().files.get()
    for url in (
        reverse("assignments:submission", args=[submission.pk]),
        reverse("assignments:file", args=[photo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Lê Minh Cường" not in response.content.decode()
    own_photo = family.graded.versions.get().files.get()
    assert (
        client.get(reverse("assignments:file", args=[own_photo.pk])).status_code == 200
    )


def test_unlinking_removes_access_at_once(client, family):
    client.force_login(family.parent)
    url = reverse("parents:child", args=[family.binh.pk])
    assert client.get(url).status_code == 200
    link = ParentLink.objects.get(parent=family.parent, student=family.binh)
    unlink_parent(link=link, by=family.parent)
    assert client.get(url).status_code == 404
    html = client.get(reverse("home")).content.decode()
    assert "Nguyễn Thị Bình" not in html
    assert "English unit 3" not in html


@pytest.mark.parametrize("code", ["SAI-MA-99", "", "x" * 500])
def test_wrong_invite_code_in_the_home_form_shows_a_message_and_links_nothing(
    client, family, code
):
    client.force_login(family.stranger)
    before = ParentLink.objects.count()
    response = client.post(
        reverse("classrooms:link-child"), {"code": code}, follow=True
    )
    assert response.status_code in (200, 400)
    assert ParentLink.objects.count() == before
    if code == "SAI-MA-99":
        assert str(INVITE_CODE_INVALID) in response.content.decode()


def test_used_invite_code_cannot_link_a_second_parent(client, family):
    invite = create_parent_invite(student=family.an, by=family.teacher)
    client.force_login(family.parent)
    client.post(reverse("classrooms:link-child"), {"code": invite.code})
    client.force_login(family.stranger)
    response = client.post(
        reverse("classrooms:link-child"), {"code": invite.code}, follow=True
    )
    assert str(INVITE_CODE_INVALID) in response.content.decode()
    assert not ParentLink.objects.filter(parent=family.stranger, student=family.an)


def test_child_page_shows_only_finished_live_quiz_results(client, family):
    from live.models import LiveSession, QuizRun, QuizRunScore, RunStatus
    from tests.factories import QuizFactory

    session = LiveSession.objects.get(title="Ôn tập hình học")
    quiz = QuizFactory(owner=family.teacher)
    finished = QuizRun.objects.create(
        session=session, quiz=quiz, title="Đố vui hình tam giác", status=RunStatus.ENDED
    )
    running = QuizRun.objects.create(
        session=session, quiz=quiz, title="Đố vui đang chơi", status=RunStatus.RUNNING
    )
    QuizRunScore.objects.create(run=finished, student=family.an, score=2750)
    QuizRunScore.objects.create(run=running, student=family.an, score=900)
    client.force_login(family.parent)
    html = client.get(reverse("parents:child", args=[family.an.pk])).content.decode()
    assert "Đố vui hình tam giác: 2750" in html
    assert "Đố vui đang chơi" not in html
