"""Per-request account rules: the user's language, pupils' idle timeout."""

import time

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


class StudentIdleTimeoutMiddleware:
    """
    Pupils often sign in on a phone the whole family shares: a pupil's
    session ends after ``STUDENT_SESSION_IDLE_SECONDS`` without a request
    (two hours by default, longer than any lesson or live class), where
    teachers, parents and admins keep ``SESSION_COOKIE_AGE`` (two weeks).

    The expiry rolls forward with use; to spare a database write on every
    page, it is pushed forward at most once a minute.
    """

    TOUCHED_KEY = "_lophoc_touched"
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view, so the request that signs a pupil in counts too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_student:
            now = int(time.time())
            session = request.session
            if now - session.get(self.TOUCHED_KEY, 0) >= self.TOUCH_EVERY:
                session[self.TOUCHED_KEY] = now
                session.set_expiry(settings.STUDENT_SESSION_IDLE_SECONDS)
        return response
