"""Login, password reset and the language switcher; the rest are Django's."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services, throttles
from .client_ip import client_ip
from .forms import ThrottledPasswordResetForm

TOO_MANY_LOGINS = gettext_lazy(
    "Có quá nhiều lần đăng nhập sai từ mạng này. Hãy thử lại sau 15 phút."
)


class LoginView(auth_views.LoginView):
    """Username + password; a signed-in user goes straight to their home."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttles.login_blocked(client_ip(request)):
            # Refused before any password is checked: the answer is the same
            # for every username, known or not (AU-02, AU-03).
            username = str(request.POST.get("username", ""))[:150]
            form = self.get_form_class()(request, initial={"username": username})
            form.full_clean()  # unbound: no password is checked
            form.cleaned_data = {}
            form.add_error(None, TOO_MANY_LOGINS)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = str(form.data.get("username", "")).strip()
        if username:
            throttles.record_failed_login(client_ip(self.request), username)
        return super().form_invalid(form)


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
