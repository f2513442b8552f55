from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Lớp học")

    def ready(self):
        # Tells ``courses`` who may read a course (it can't import us).
        from . import course_access, progress  # noqa: F401
