from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from .converters import IdConverter

        register_converter(IdConverter, "id")
