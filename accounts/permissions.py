"""
The one "no permission" message. Every service raises
``PermissionDenied(NOT_ALLOWED)`` with it (views turn most refusals into a
404 anyway, so it is seen only where a form explains a refusal).
"""

from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("Bạn không có quyền thực hiện thao tác này.")
