"""
The session's recording: every audio bundle is kept, and the recording is
one Ogg Opus file that class members may play and seek later (the catch-up
for absent students).

The process that receives the teacher's bundles buffers them and writes
them to the private storage in chunks of about ten seconds
(``live-audio/<session>/chunks/``), so nothing is held in Redis and a
teacher whose socket moves to another process just adds chunks from there.
``finalise_recording`` (audio stopped, the teacher's socket gone, the
session ended) reads every chunk in order and rebuilds the session's one
file; it is idempotent and serialised on the recording's row.
"""

import asyncio
import logging
import struct
import time
import uuid
import weakref

from django.core.files.base import ContentFile
from django.db import transaction

from files.storage import private_storage
from live import protocol as p
from live.models import LiveRecording, LiveSession

from .ogg import ogg_opus

log = logging.getLogger(__name__)

CHUNK_BUNDLES = 28  # about 10 s of 360 ms bundles per chunk file
_LENGTH = struct.Struct(">I")


def chunk_folder(session_id: int) -> str:
    return f"live-audio/{int(session_id)}/chunks"


class Recorder:
    """One room's bundles in this process, not yet written to storage."""

    def __init__(self, session_id: int):
        self.session_id = session_id
        self.parts: list[bytes] = []
        self.first_ms: int | None = None
        self.first_seq = 0

    def add(self, bundle: bytes, seq: int) -> bool:
        """Keep a checked bundle; True when a chunk is due."""
        if self.first_ms is None:
            self.first_ms, self.first_seq = int(time.time() * 1000), seq
        self.parts.append(_LENGTH.pack(len(bundle)) + bundle)
        return len(self.parts) >= CHUNK_BUNDLES

    def take(self) -> tuple[str, bytes] | None:
        """The pending chunk's storage name and bytes, or None."""
        if not self.parts:
            return None
        name = (
            f"{chunk_folder(self.session_id)}/"
            f"{self.first_ms:013d}-{self.first_seq:010d}-{uuid.uuid4().hex[:8]}.bin"
        )
        data, self.parts, self.first_ms = b"".join(self.parts), [], None
        return name, data


_recorders: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = (
    weakref.WeakKeyDictionary()
)


def recorder_for(session_id: int) -> Recorder:
    rooms = _recorders.setdefault(asyncio.get_running_loop(), {})
    recorder = rooms.get(session_id)
    if recorder is None:
        recorder = rooms[session_id] = Recorder(session_id)
    return recorder


def chunk_of(bundles) -> bytes:
    """Checked bundles as one chunk file's bytes (length-prefixed)."""
    return b"".join(_LENGTH.pack(len(b)) + b for b in bundles)


def write_chunk(name: str, data: bytes) -> None:
    private_storage.save(name, ContentFile(data))


async def flush(session_id: int) -> bool:
    """Write this process's pending bundles of the room; True if any."""
    rooms = _recorders.get(asyncio.get_running_loop(), {})
    recorder = rooms.get(session_id)
    chunk = recorder.take() if recorder else None
    if chunk is None:
        return False
    await asyncio.to_thread(write_chunk, *chunk)
    return True


def _bundles(data: bytes):
    at = 0
    while at + _LENGTH.size <= len(data):
        (length,) = _LENGTH.unpack_from(data, at)
        at += _LENGTH.size
        yield data[at : at + length]
        at += length


def has_audio(session_id: int) -> bool:
    return private_storage.exists(chunk_folder(session_id))


def session_packets(session_id: int) -> tuple[list[bytes], int]:
    """Every Opus packet kept for the session, in order, and the bundle count."""
    folder = chunk_folder(session_id)
    try:
        _, names = private_storage.listdir(folder)
    except FileNotFoundError:
        return [], 0
    packets, bundles = [], 0
    for name in sorted(names):
        with private_storage.open(f"{folder}/{name}", "rb") as handle:
            data = handle.read()
        for raw in _bundles(data):
            try:
                bundle = p.parse_bundle(raw)
            except p.BadBundle:
                log.warning("live audio: a bad bundle in %s/%s", folder, name)
                continue
            packets.extend(bundle.packets)
            bundles += 1
    return packets, bundles


def finalise_recording(*, session_id: int) -> LiveRecording | None:
    """Rebuild the session's recording from every chunk kept; None when the
    session has no audio."""
    packets, bundles = session_packets(session_id)
    if not packets:
        return None
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return None
    data, duration_ms = ogg_opus(packets, serial=session_id, title=session.title)
    with transaction.atomic():
        recording, _ = LiveRecording.objects.get_or_create(session=session)
        recording = LiveRecording.objects.select_for_update().get(pk=recording.pk)
        if recording.bundles == bundles and recording.file:
            return recording  # nothing new since the last build
        old = recording.file.name if recording.file else None
        recording.file.save(
            f"{session_id}-{uuid.uuid4().hex[:8]}.ogg", ContentFile(data), save=False
        )
        recording.duration_ms = duration_ms
        recording.size = len(data)
        recording.bundles = bundles
        recording.save()
        if old:
            transaction.on_commit(lambda: private_storage.delete(old))
    return recording
