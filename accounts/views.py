"""Login, password reset and the language switcher; the rest are Django's."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services
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
