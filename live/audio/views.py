"""The recording of a session's audio, for the class only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from files.serving import private_file_response
from live.models import LiveRecording
from live.rooms import permissions


@login_required
def recording(request, session_id):
    """The Ogg Opus file, with byte ranges (seeking on a phone). Anyone
    outside the class gets the same 404 as for a session with no audio."""
    recording = get_object_or_404(
        LiveRecording.objects.select_related("session__classroom"),
        session_id=session_id,
    )
    if not permissions.may_hear_recording(request.user, recording.session):
        raise Http404
    return private_file_response(
        request,
        recording.file,
        content_type="audio/ogg",
        filename=f"{recording.session.title}.ogg",
    )
