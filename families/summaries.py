"""
The weekly summary email to each parent: per child, what was due, what is
missing, new grades and attendance, in the parent's language.

It goes out through ``notifications`` (one notification per parent with
its email pre-rendered), so it is queued, retried and, if it keeps failing,
listed for the school admin like any other delivery.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import ParentLink
from classrooms.selectors import children_for_parent
from notifications import services as notifications
from notifications.channels import site_url
from notifications.models import NotificationPreference

from .selectors import ChildOverview, child_overview

PARENT_WEEKLY_SUMMARY = "parent.weekly_summary"
WEEK = timedelta(days=7)


@dataclass
class ChildWeek:
    overview: ChildOverview
    due: list[dict]
    new_grades: list[dict]

    @property
    def child(self):
        return self.overview.child


def child_week(child: User, *, now: datetime) -> ChildWeek:
    """One child's last seven days (grades only once returned: AZ-13)."""
    start = now - WEEK
    overview = child_overview(child, since=start)
    rows = (
        overview.missing
        + overview.submitted
        + overview.returned
        + overview.due_this_week
        + overview.upcoming
    )
    due = sorted(
        (row for row in rows if start < row["assignment"].due_at <= now),
        key=lambda row: row["assignment"].due_at,
    )
    new_grades = [
        row
        for row in overview.returned
        if row["submission"].returned_at and row["submission"].returned_at > start
    ]
    return ChildWeek(overview=overview, due=due, new_grades=new_grades)


def parents_wanting_summary():
    """Active parents with an email, a linked child, and the summary on."""
    opted_out = NotificationPreference.objects.filter(
        user=OuterRef("pk"), weekly_summary=False
    )
    return (
        User.objects.parents()
        .active()
        .exclude(email="")
        .filter(Exists(ParentLink.objects.filter(parent=OuterRef("pk"))))
        .exclude(Exists(opted_out))
        .order_by("pk")
    )


def render_summary(parent: User, weeks: list[ChildWeek], *, now: datetime):
    """Subject, plain text and HTML, in the parent's language."""
    with translation.override(parent.language):
        context = {
            "user": parent,
            "weeks": weeks,
            "start": timezone.localtime(now - WEEK),
            "end": timezone.localtime(now),
            "site": site_url(),
            "home_url": reverse("home"),
        }
        subject = _("Tổng kết tuần của con (%(start)s – %(end)s)") % {
            "start": context["start"].strftime("%d/%m"),
            "end": context["end"].strftime("%d/%m"),
        }
        text = render_to_string("emails/weekly_summary.txt", context)
        html = render_to_string("emails/weekly_summary.html", context)
    return subject, text, html


def send_weekly_summary(parent: User, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    weeks = [child_week(child, now=now) for child in children_for_parent(parent)]
    if not weeks:
        return
    subject, text, html = render_summary(parent, weeks, now=now)
    notifications.notify(
        event=PARENT_WEEKLY_SUMMARY,
        recipients=[parent],
        title=subject,
        body=text,
        url=reverse("home"),
        email_html=html,
        always_email=True,
    )


def send_weekly_summaries(*, now: datetime | None = None) -> int:
    """Queue every parent's summary; returns how many were queued."""
    now = now or timezone.now()
    count = 0
    for parent in parents_wanting_summary().iterator():
        send_weekly_summary(parent, now=now)
        count += 1
    return count
