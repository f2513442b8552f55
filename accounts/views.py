"""Login and the language switcher; the rest are Django's own auth views."""

from django.contrib.auth import views as auth_views
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services


class LoginView(auth_views.LoginView):
    """Username + password; a signed-in user goes straight to their home."""

    redirect_authenticated_user = True


@require_POST
def set_language(request):
    """Switch the language and, when signed in, remember it on the account."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.save_language(user=request.user, language=request.POST.get("language"))
    return response
