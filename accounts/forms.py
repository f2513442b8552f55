"""The login and password reset forms, throttled; reset mail goes by the task queue."""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import throttles
from .client_ip import client_ip
from .tasks import send_account_mail

# Per e-mail address and per client address, in one window.
RESET_WINDOW_SECONDS = 60 * 60
RESET_PER_EMAIL = 3
RESET_PER_ADDRESS = 20
TOO_MANY_RESETS = _(
    "Đã có quá nhiều yêu cầu đặt lại mật khẩu. Hãy kiểm tra hộp thư, hoặc thử "
    "lại sau một giờ."
)


TOO_MANY_LOGINS = _(
    "Có quá nhiều lần đăng nhập sai từ mạng này. Hãy thử lại sau 15 phút."
)


class ThrottledAuthenticationForm(AuthenticationForm):
    """
    Django's login form behind the per-address limit (security-tests AU-02,
    ``throttles``): a refused address gets the same answer for every
    username, before any password is checked (AU-03).
    """

    def clean(self):
        ip = client_ip(self.request)
        if throttles.login_blocked(ip):
            raise ValidationError(TOO_MANY_LOGINS, code="throttled")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttles.record_failed_login(ip, self.cleaned_data["username"])
            raise


class ThrottledPasswordResetForm(PasswordResetForm):
    """
    Django's reset form with two changes (security-tests AU-03):

    - at most ``RESET_PER_EMAIL`` requests per address and
      ``RESET_PER_ADDRESS`` per client address an hour; the refusal reads
      the same whether the e-mail belongs to an account or not;
    - the mail goes out through the task queue, so a known address answers
      as fast as an unknown one (no SMTP wait in the request to time).
    """

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        ip = client_ip(self.request) if self.request is not None else "-"
        by_address = throttles.spend(
            f"pwreset:ip:{ip}", RESET_PER_ADDRESS, RESET_WINDOW_SECONDS
        )
        by_email = throttles.spend(
            f"pwreset:email:{email}", RESET_PER_EMAIL, RESET_WINDOW_SECONDS
        )
        if not (by_address and by_email):
            raise ValidationError(TOO_MANY_RESETS, code="throttled")
        return self.cleaned_data["email"]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = loader.render_to_string(subject_template_name, context)
        subject = "".join(subject.splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        send_account_mail.enqueue(subject, body, to_email, html)
