from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    """
    What users upload: the one private storage, the one upload validator and
    the orphan cleanup. The lowest layer, so that every app that keeps
    uploads (homework, announcements, later lesson media) shares them.
    """

    name = "files"
    verbose_name = _("Tệp tải lên")
