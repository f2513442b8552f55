"""
django-csp's middleware with the two rules Wagtail's admin needs.

- **Previews.** The admin's preview panel frames the page a teacher is
  editing. Wagtail renders it through a dummy request for the page's own URL
  (``Page.make_preview_request``), so the site-wide ``frame-ancestors 'none'``
  would reach the preview and the browser would refuse to show it. Only that
  dummy request, made by the admin's preview views under ``/admin/``, gets
  ``frame-ancestors 'self'``.
- **The admins.** Wagtail's and Django's admin pages rely on inline scripts,
  so the site policy is not applied there (``ADMIN_CSP_URL_PREFIXES``); they
  get the framing directive only: ``'none'``, or ``'self'`` on the views
  Wagtail itself marks framable (``X-Frame-Options: SAMEORIGIN``: the preview
  and block-preview views).

https://django-csp.readthedocs.io/en/latest/configuration.html
"""

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings


def is_admin_preview(request) -> bool:
    """The dummy request through which Wagtail renders a preview."""
    return bool(getattr(request, "is_dummy", False)) and bool(
        getattr(request, "is_preview", False)
    )


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if is_admin_preview(request):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        elif request.path_info.startswith(tuple(settings.ADMIN_CSP_URL_PREFIXES)):
            framable = response.get("X-Frame-Options") == "SAMEORIGIN"
            parts.config = {
                **settings.ADMIN_CONTENT_SECURITY_POLICY,
                "frame-ancestors": [SELF if framable else NONE],
            }
        return parts
