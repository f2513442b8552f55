from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Lớp học trực tuyến")
    periodic_jobs = "live.rooms.tasks.PERIODIC_JOBS"

    def ready(self):
        # The wiring between the room layer and the rest: imported here, once
        # the models are loaded.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import m2m_changed, post_save

        from classrooms.models import Classroom
        from classrooms.signals import enrollment_removed
        from files.cleanup import keep_folder

        from .realtime import hub
        from .rooms import handlers, signals

        user_logged_out.connect(signals.on_logged_out, dispatch_uid="live-logout")
        post_save.connect(
            signals.on_user_saved, sender=get_user_model(), dispatch_uid="live-user"
        )
        enrollment_removed.connect(
            signals.on_enrollment_removed, dispatch_uid="live-enrollment"
        )
        # A join caches the class's teachers per room (live.rooms.admission).
        post_save.connect(
            signals.on_teachers_changed, sender=Classroom, dispatch_uid="live-class"
        )
        m2m_changed.connect(
            signals.on_teachers_changed,
            sender=Classroom.teachers.through,
            dispatch_uid="live-class-teachers",
        )
        # Audio chunks belong to no row: the recording is rebuilt from them.
        keep_folder("live-audio/")
        hub.connect_room_layer(
            on_lost=handlers.record_lost_sockets, recheck=handlers.recheck_sockets
        )
