"""Login, password reset and the language switcher; the rest are Django's."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from . import badges, services
from .client_ip import client_ip
from .forms import ThrottledAuthenticationForm, ThrottledPasswordResetForm


class LoginView(auth_views.LoginView):
    """Username + password; a signed-in user goes straight to their home."""

    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="throttled"):
            response.status_code = 429
        return response


@require_POST
def set_language(request):
    """Switch the language and, when signed in, remember it on the account."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.save_language(user=request.user, language=request.POST.get("language"))
    return response


@login_required
@require_POST
def end_other_sessions(request):
    """ "Log out of other devices": this browser stays signed in."""
    services.end_sessions(user=request.user, keep_request=request)
    messages.success(request, _("Đã đăng xuất khỏi các thiết bị khác."))
    return redirect("accounts:password-change")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the throttled form that mails through the task queue."""

    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("email", code="throttled"):
            response.status_code = 429
        return response


# Apps whose built-in browser keeps its own cookies: a pupil signed in there
# is not signed in in Chrome, where the homework and the lessons are saved.
IN_APP_BROWSERS = ("Zalo", "FBAN", "FBAV", "FB_IAB", "Instagram", "Messenger")


def _no_referrer(response):
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def badge_sign_in(request, token):
    """
    A QR login card (accounts.badges): sign its pupil in and go home, in
    two requests, leaving the token in neither the address bar nor a
    ``Referer``. A card that does not work gets the same answer whatever
    the reason, so nothing tells a guesser which pupils exist.
    """
    agent = request.headers.get("User-Agent", "")
    if any(name in agent for name in IN_APP_BROWSERS) and "here" not in request.GET:
        path = reverse("badge-sign-in", args=[token])
        context = {
            "intent": f"intent://{request.get_host()}{path}"
            "#Intent;scheme=https;package=com.android.chrome;end",
            "here": f"{path}?here=1",
        }
        return _no_referrer(
            render(request, "registration/badge_open_in_browser.html", context)
        )
    ip = client_ip(request)
    if badges.guessing_blocked(ip):
        response = render(request, "registration/badge_refused.html", {"blocked": True})
        response.status_code = 429
        return _no_referrer(response)
    if badges.sign_in_with_badge(request, token, ip) is None:
        response = render(
            request, "registration/badge_refused.html", {"blocked": False}
        )
        response.status_code = 404
        return _no_referrer(response)
    return _no_referrer(redirect("home"))
