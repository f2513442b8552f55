"""
Wagtail hooks: privacy of course pages and files, and admin wiring.

Wagtail's own view restrictions (set by ``services.sync_course_privacy``)
send anonymous visitors to the login page. These hooks run first and add the
relationship check Wagtail can't express: a signed-in user who is not a
teacher, student or parent of the course gets a 404, never a login loop or a
403 that would confirm the lesson exists.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from wagtail import hooks

from . import permissions, selectors, services
from .models import CoursePage


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    raise Http404


@hooks.register("before_serve_page", order=-100)
def check_course_access(page, request, serve_args, serve_kwargs):
    if not permissions.can_view_page(request.user, page):
        return _refuse(request)
    return None


@hooks.register("before_serve_document", order=-100)
def check_course_document_access(document, request):
    if not permissions.can_view_collection(request.user, document.collection):
        return _refuse(request)
    return None


@hooks.register("after_create_page")
def set_up_editing_for_admin_created_course(request, page):
    """A course added in the admin gets its group and collection too."""
    if isinstance(page.specific, CoursePage):
        services.set_up_course_editing(course=page.specific)


@hooks.register("construct_page_chooser_queryset")
def hide_unreadable_courses_from_chooser(pages, request):
    """The page chooser lists no page of a course the user may not read."""
    for path in selectors.unreadable_course_paths(request.user):
        pages = pages.exclude(path__startswith=path)
    return pages
