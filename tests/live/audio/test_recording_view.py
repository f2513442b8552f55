"""The recording is served to the class only, with byte ranges."""

import pytest

from tests.live.conftest import Room

from .test_audio_room import bundle

pytestmark = pytest.mark.django_db(transaction=True)


def recording_for(room):
    from live.audio.recording import chunk_of, finalise_recording, write_chunk

    data = chunk_of(bundle(n) for n in range(20))
    write_chunk(f"live-audio/{room.session.pk}/chunks/0000000000001-0.bin", data)
    return finalise_recording(session_id=room.session.pk)


def test_only_the_class_may_fetch_the_recording_and_it_seeks():
    from django.test import Client

    from tests.factories import ParentLinkFactory

    room = Room()
    recording = recording_for(room)
    assert recording.duration_ms > 7000
    url = f"/live/{room.session.pk}/recording/"
    # A parent of a pupil of the class is not of the class: lectures are not
    # theirs to hear.
    parent = ParentLinkFactory(student=room.students[0]).parent

    for user, status in [
        (room.students[0], 200),
        (room.teacher, 200),
        (room.admin, 200),
        (room.outsider, 404),
        (parent, 404),
    ]:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "audio/ogg"
            assert b"".join(response.streaming_content).startswith(b"OggS")
            ranged = client.get(url, HTTP_RANGE="bytes=10-19")
            assert ranged.status_code == 206
            assert ranged["Content-Range"] == f"bytes 10-19/{recording.size}"
    # A session without audio answers the outsider's 404 too.
    client = Client()
    client.force_login(room.students[0])
    other = Room()
    assert client.get(f"/live/{other.session.pk}/recording/").status_code == 404
