from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from families import summaries
from notifications.models import (
    Delivery,
    DeliveryStatus,
    EmailMode,
    NotificationPreference,
)

pytestmark = pytest.mark.django_db


def send_all(captured):
    mail.outbox.clear()  # the family fixture's own notifications
    with captured(execute=True):
        out = StringIO()
        call_command("send_weekly_summaries", stdout=out)
    return out.getvalue()


def test_summary_email_lists_each_childs_week(
    family, django_capture_on_commit_callbacks
):
    output = send_all(django_capture_on_commit_callbacks)
    assert "queued for 2 parents" in output  # the family's parent and stranger
    message = next(m for m in mail.outbox if m.to == [family.parent.email])
    assert message.subject.startswith("[Lophoc] Tổng kết tuần của con (")
    text = message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    for body in (text, html):
        assert "Nguyễn Văn An" in body and "Nguyễn Thị Bình" in body
        assert "Bài Toán chương 2" in body  # An's overdue homework, by name
        assert "English unit 3" in body  # Bình's, in the other school
        assert "Làm rất tốt" in body  # the returned grade's comment
        assert "Chưa đạt" not in body  # an unreturned grade never leaks
        assert "Ôn tập hình học" in body and "Luyện đề" in body
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html  # readable on a phone mail client
    assert "Lê Minh Cường" not in text  # the other family's child


def test_summary_is_in_the_parents_language(family, django_capture_on_commit_callbacks):
    family.parent.language = "en"
    family.parent.save(update_fields=["language"])
    send_all(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [family.parent.email])
    assert '<html lang="en">' in message.alternatives[0][0]
    stranger_mail = next(m for m in mail.outbox if m.to == [family.stranger.email])
    assert '<html lang="vi">' in stranger_mail.alternatives[0][0]


def test_summary_goes_out_even_for_digest_users_but_not_when_turned_off(
    family, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=family.parent, email_mode=EmailMode.DAILY
    )
    NotificationPreference.objects.create(user=family.stranger, weekly_summary=False)
    output = send_all(django_capture_on_commit_callbacks)
    assert "queued for 1 parents" in output
    assert [m.to for m in mail.outbox] == [[family.parent.email]]
    summary = Delivery.objects.get(notification__event=summaries.PARENT_WEEKLY_SUMMARY)
    assert summary.status == DeliveryStatus.SENT


def test_new_grades_are_only_those_returned_this_week(family, time_machine):
    time_machine.move_to(family.graded.returned_at, tick=False)
    time_machine.shift(summaries.WEEK * 2)
    from django.utils import timezone

    week = summaries.child_week(family.an, now=timezone.now())
    assert week.new_grades == []
    assert [row["assignment"].title for row in week.overview.missing] == [
        "Bài Toán chương 2",
        "Bài Văn tả cảnh",
    ]


def test_schedule_option_queues_the_weekly_job_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    for _ in range(2):
        call_command("send_weekly_summaries", "--schedule", stdout=StringIO())
    jobs = {job.task_path: job for job in DBTaskResult.objects.all()}
    assert sorted(jobs) == [
        "families.tasks.send_reminders",
        "families.tasks.send_weekly_summaries",
        "live.rooms.tasks.send_live_reminders",
    ]
    weekly = jobs["families.tasks.send_weekly_summaries"].run_after
    assert weekly.weekday() in (4, 5)  # Saturday 08:00 local = Fri/Sat UTC
