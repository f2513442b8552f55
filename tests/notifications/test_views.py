import pytest
from django.urls import reverse

from notifications.models import EmailMode, Notification, NotificationPreference
from tests.factories import ParentFactory

pytestmark = pytest.mark.django_db


def make_notification(user, **kwargs):
    return Notification.objects.create(
        recipient=user, event="x", title=kwargs.pop("title", "Bài mới"), **kwargs
    )


def test_list_shows_own_notifications_and_the_bell_count(client):
    parent, other = ParentFactory(), ParentFactory()
    make_notification(parent, title="Điểm Toán đã có")
    make_notification(other, title="Của người khác")
    client.force_login(parent)
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert "Điểm Toán đã có" in html
    assert "Của người khác" not in html
    assert "data-bell-count >1</span>" in html


def test_open_marks_read_and_follows_only_local_links(client):
    parent = ParentFactory()
    local = make_notification(parent, url="/homework/3/")
    foreign = make_notification(parent, url="https://evil.example/")
    client.force_login(parent)
    response = client.get(reverse("notifications:open", args=[local.pk]))
    assert response["Location"] == "/homework/3/"
    response = client.get(reverse("notifications:open", args=[foreign.pk]))
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.unread().exists()


def test_another_users_notification_is_404(client):
    owner, intruder = ParentFactory(), ParentFactory()
    notification = make_notification(owner)
    client.force_login(intruder)
    assert (
        client.get(reverse("notifications:open", args=[notification.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("notifications:mark-read", args=[notification.pk])
        ).status_code
        == 404
    )
    assert Notification.objects.get().read_at is None


def test_mark_all_read(client):
    parent = ParentFactory()
    make_notification(parent)
    make_notification(parent)
    client.force_login(parent)
    client.post(reverse("notifications:mark-all-read"))
    assert not Notification.objects.unread().exists()


def test_preference_form_saves_valid_choice(client):
    parent = ParentFactory()
    client.force_login(parent)
    response = client.post(
        reverse("notifications:preferences"), {"email_mode": "daily"}, follow=True
    )
    assert "Đã lưu cài đặt thông báo." in response.content.decode()
    preference = NotificationPreference.objects.get(user=parent)
    assert preference.email_mode == EmailMode.DAILY
    assert preference.weekly_summary is False


@pytest.mark.parametrize(
    "data",
    [{"email_mode": "hourly"}, {"email_mode": ""}, {}, {"email_mode": "x" * 5000}],
)
def test_preference_form_with_nonsense_shows_message_and_saves_nothing(client, data):
    parent = ParentFactory()
    NotificationPreference.objects.create(user=parent, email_mode=EmailMode.OFF)
    client.force_login(parent)
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ. Cài đặt chưa được lưu." in response.content.decode()
    assert NotificationPreference.objects.get(user=parent).email_mode == EmailMode.OFF


@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
