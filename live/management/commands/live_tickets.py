"""
Print WebSocket tickets for scripted clients and load tests, one JSON object
per line: ``user_id``, ``username``, ``role``, ``ticket``, ``expires_at``.

    python manage.py live_tickets 7 --users all
    python manage.py live_tickets 7 --users an.nguyen,binh.tran --ttl 600
"""

import json

from django.core.management.base import BaseCommand, CommandError

from live.models import LiveSession
from live.rooms.selectors import ticket_holders
from live.rooms.services import issue_ticket


class Command(BaseCommand):
    help = "Print signed live-room tickets, one JSON object per line."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int)
        parser.add_argument(
            "--users",
            default="all",
            help="'all' (the class's teachers and students) or usernames, comma-separated",
        )
        parser.add_argument("--ttl", type=int, default=None, help="seconds")

    def handle(self, *args, session_id, users, ttl, **options):
        session = LiveSession.objects.filter(pk=session_id).first()
        if session is None:
            raise CommandError(f"No live session {session_id}.")
        if ttl is not None and ttl <= 0:
            raise CommandError("--ttl must be a positive number of seconds.")
        names = None if users in ("all", "all-students") else users.split(",")
        holders = ticket_holders(session, usernames=names)
        if names is not None:
            missing = set(names) - {user.username for user, _ in holders}
            if missing:
                raise CommandError(
                    "Not in this session's class: " + ", ".join(sorted(missing))
                )
        for user, role in holders:
            ticket = issue_ticket(user=user, session=session, ttl=ttl)
            line = {"user_id": user.pk, "username": user.username, "role": role}
            self.stdout.write(json.dumps({**line, **ticket}, ensure_ascii=False))
