from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    """What a parent sees across apps: child overview, weekly summary."""

    name = "families"
    verbose_name = _("Gia đình")
    periodic_jobs = "families.tasks.PERIODIC_JOBS"
