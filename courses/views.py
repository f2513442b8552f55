"""Course views besides the Wagtail page route: progress, search, images."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError
from wagtail.images.utils import verify_signature
from wagtail.images.views.serve import ServeView

from files.serving import private_file_response

from . import permissions, selectors, services


@require_POST
@login_required
def mark_done(request, lesson_id: int):
    """The student's "Tôi đã học xong bài này" button."""
    lesson = get_object_or_404(permissions.visible_lessons(request.user), pk=lesson_id)
    try:
        services.mark_lesson_done(student=request.user, lesson=lesson)
    except PermissionDenied as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("Đã ghi nhận: em đã học xong bài này."))
    return redirect(lesson.url)


def short_lesson(request, lesson_id: int):
    """``/l/<id>/``, the lesson link to share on Zalo: a redirect to the lesson
    for whoever may read it; a signed-out visitor is asked to log in first
    (whether or not the lesson exists), anyone else who may not read it gets
    the same 404 as for a lesson that does not exist."""
    lesson = permissions.visible_lessons(request.user).filter(pk=lesson_id).first()
    if lesson is not None:
        return redirect(lesson.url)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def course_list(request):
    """Every course the visitor may read, with the lesson search box."""
    courses = permissions.visible_courses(request.user).order_by("grade", "title")
    return render(request, "courses/course_list.html", {"courses": courses})


def search(request):
    """Lessons the visitor may open that match ``?q=``, diacritics optional."""
    query = request.GET.get("q", "")[:1000]
    results = selectors.search_lessons_for_user(user=request.user, query=query)
    return render(
        request, "courses/search.html", {"query": query[:200], "results": results}
    )


class ImageServeView(ServeView):
    """
    Wagtail's signed dynamic image view plus the course privacy check: the
    signature makes rendition URLs unguessable, the check makes a leaked URL
    useless to anyone outside the course. Renditions of private images are
    cached by the browser only, never by shared proxies.
    """

    def get(self, request, signature, image_id, filter_spec, filename=None):
        if not verify_signature(signature.encode(), image_id, filter_spec):
            raise Http404
        image = get_object_or_404(self.model, id=image_id)
        if not permissions.can_view_collection(request.user, image.collection):
            raise Http404
        try:
            rendition = image.get_rendition(filter_spec)
        except (SourceImageIOError, InvalidFilterSpecError):
            raise Http404
        response = self.serve(rendition)
        private = bool(image.collection.get_view_restrictions())
        patch_cache_control(response, max_age=3600, private=private, public=not private)
        return response


def media_file(request, path: str):
    """
    ``MEDIA_URL``: the image files the Wagtail admin shows (originals,
    thumbnails, profile pictures) to the admin users ``permissions`` allows.
    Anything else, or a file the visitor may not see, is a 404.
    """
    media = selectors.get_media_file(path)
    if media is None or not permissions.can_view_media(request.user, media):
        raise Http404
    # Only signed-in admin users get these: never from a shared cache.
    return private_file_response(
        request, media.file, cache_control="private, max-age=3600"
    )


def serve_document(request, document_id: int, document_filename: str):
    """
    Wagtail's document URL (``wagtaildocs_serve``), served through
    ``files.serving`` for byte ranges and X-Accel-Redirect: Wagtail's own
    ``serve_view`` streams the whole file and ignores ``Range``, and a
    ``before_serve_document`` hook can't return a streamed answer. The checks
    are Wagtail's: every ``before_serve_document`` hook (the course access
    check, the collection's view restrictions) runs first.
    """
    document = get_object_or_404(get_document_model(), id=document_id)
    if document.filename != document_filename:
        raise Http404
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(
        sender=get_document_model(), instance=document, request=request
    )
    return private_file_response(
        request,
        document.file,
        content_type=document.content_type,
        as_attachment=document.content_disposition != "inline",
        filename=document.filename,
    )
