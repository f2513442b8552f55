"""Mail the accounts module sends, through the task queue (``db_worker``)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_mail(subject: str, body: str, to: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, None, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
