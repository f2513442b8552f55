from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("Thông báo")
    # Started by ``manage.py schedule_jobs``, like every app's periodic jobs.
    periodic_jobs = "notifications.tasks.PERIODIC_JOBS"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import events

        def close_bell_sockets(sender, user=None, **kwargs):
            if user is not None:
                events.publish_session_ended(user.pk)

        user_logged_out.connect(
            close_bell_sockets, weak=False, dispatch_uid="notifications.logout"
        )
