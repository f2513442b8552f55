"""Activate the signed-in user's chosen language for each request."""

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """
    After authentication, switch to the user's saved language unless the
    request chose one explicitly (the language cookie set by the switcher,
    which also saves the choice on the account).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if "Content-Language" in response and getattr(request, "LANGUAGE_CODE", None):
            response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response
