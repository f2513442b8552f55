"""The teacher's voice on the wire (section 6): ``audio.*`` frames and the
binary audio bundle.

A bundle is ``0x41``, a uint32 sequence number, a uint32 capture time (ms
since ``audio.start``), a packet count 1–16, then per packet a uint16
length and that many bytes of Opus. Everything here is pure.
"""

import struct
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from .codes import AUDIO_METER, AUDIO_STARTED, AUDIO_STOPPED, ErrorCode

BUNDLE_KIND = 0x41  # "A"
MAX_BUNDLE_BYTES = 4 * 1024
MAX_PACKETS = 16
HEADER = struct.Struct(">BIIB")
# More than this many bundles a second gets bad_request (the page sends ~3).
BUNDLE_LIMIT = (10, 1.0)
# A listener's queue never holds more audio than this.
MAX_QUEUED_AUDIO_MS = 2000

CODECS = frozenset({"opus"})
SAMPLE_RATES = frozenset({48000})
FRAME_MS = frozenset({20, 40, 60})
KBPS = range(6, 33)  # 12 standard, 8 data saver; a client may pick its own


class AudioParams(TypedDict):
    codec: Literal["opus"]
    sample_rate: int
    channels: int
    frame_ms: int
    kbps: int


class AudioState(AudioParams):
    live: bool
    listening: bool


class AudioStartedFrame(AudioParams):
    type: Literal["audio.started"]
    seq: NotRequired[int]


class AudioStoppedFrame(TypedDict):
    type: Literal["audio.stopped"]
    seq: NotRequired[int]


class AudioMeterFrame(TypedDict):
    """Staff only: what the stream costs one listener, from the byte counter."""

    type: Literal["audio.meter"]
    listeners: int
    payload_bytes_per_hour: int
    wire_bytes_per_hour: int


@dataclass(frozen=True, slots=True)
class Bundle:
    seq: int
    capture_ms: int
    packets: tuple[bytes, ...]


class BadBundle(ValueError):
    """A binary frame that is not an audio bundle of the contract."""

    code = ErrorCode.BAD_REQUEST


def parse_bundle(data: bytes) -> Bundle:
    """Check a binary frame against section 6; its packets, or ``BadBundle``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BadBundle("not bytes")
    data = bytes(data)
    if not HEADER.size < len(data) <= MAX_BUNDLE_BYTES:
        raise BadBundle("size")
    kind, seq, capture_ms, count = HEADER.unpack_from(data)
    if kind != BUNDLE_KIND:
        raise BadBundle("kind")
    if not 1 <= count <= MAX_PACKETS:
        raise BadBundle("count")
    packets, at = [], HEADER.size
    for _ in range(count):
        if at + 2 > len(data):
            raise BadBundle("truncated length")
        (length,) = struct.unpack_from(">H", data, at)
        at += 2
        if length == 0 or at + length > len(data):
            raise BadBundle("packet past the end")
        packets.append(data[at : at + length])
        at += length
    if at != len(data):
        raise BadBundle("trailing bytes")
    return Bundle(seq=seq, capture_ms=capture_ms, packets=tuple(packets))


def build_bundle(seq: int, capture_ms: int, packets: list[bytes]) -> bytes:
    """The bundle bytes for ``packets`` (tests, benchmarks, the recorder)."""
    body = b"".join(struct.pack(">H", len(x)) + x for x in packets)
    return HEADER.pack(BUNDLE_KIND, seq, capture_ms, len(packets)) + body


def bundle_capture_ms(data: bytes) -> int:
    """The capture time of an already checked bundle, without parsing it."""
    return struct.unpack_from(">I", data, 5)[0]


# Opus frame sizes in 48 kHz samples by TOC config (RFC 6716, 3.1).
_CONFIG_SAMPLES = (
    [480, 960, 1920, 2880] * 3  # SILK NB, MB, WB: 10, 20, 40, 60 ms
    + [480, 960] * 2  # hybrid SWB, FB: 10, 20 ms
    + [120, 240, 480, 960] * 4  # CELT NB, WB, SWB, FB: 2.5, 5, 10, 20 ms
)


def opus_samples(packet: bytes) -> int:
    """How many 48 kHz samples one Opus packet decodes to (0 if malformed)."""
    if not packet:
        return 0
    toc = packet[0]
    per_frame = _CONFIG_SAMPLES[toc >> 3]
    code = toc & 0x03
    if code == 0:
        frames = 1
    elif code in (1, 2):
        frames = 2
    else:
        if len(packet) < 2:
            return 0
        frames = packet[1] & 0x3F
    return per_frame * frames


def clean_audio_params(data: dict) -> AudioParams | None:
    """``audio.start``'s fields as stored and broadcast, or None when the
    codec or its settings are not the contract's."""
    codec, rate, channels, frame_ms, kbps = (
        data.get(k) for k in ("codec", "sample_rate", "channels", "frame_ms", "kbps")
    )
    if codec not in CODECS or channels != 1 or isinstance(channels, bool):
        return None
    for value, allowed in ((rate, SAMPLE_RATES), (frame_ms, FRAME_MS), (kbps, KBPS)):
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or value not in allowed
        ):
            return None
    return {
        "codec": codec,
        "sample_rate": rate,
        "channels": 1,
        "frame_ms": frame_ms,
        "kbps": kbps,
    }


def audio_started(params: AudioParams) -> AudioStartedFrame:
    return {"type": AUDIO_STARTED, **params}


def audio_stopped() -> AudioStoppedFrame:
    return {"type": AUDIO_STOPPED}


# Bytes every binary message costs on a phone's link beyond its payload: a
# WebSocket header (4), a TLS 1.3 record (5 + 16 tag + 1 type) and TCP/IPv4
# headers with timestamps (52), when a bundle rides its own segment.
WIRE_OVERHEAD_BYTES = 4 + 22 + 52


def audio_meter(
    *, listeners: int, payload_per_s: float, messages_per_s: float
) -> AudioMeterFrame:
    return {
        "type": AUDIO_METER,
        "listeners": listeners,
        "payload_bytes_per_hour": round(payload_per_s * 3600),
        "wire_bytes_per_hour": round(
            (payload_per_s + messages_per_s * WIRE_OVERHEAD_BYTES) * 3600
        ),
    }


def audio_state(params: AudioParams | None, listening: bool) -> AudioState | None:
    """``room.state.audio``: null, or the live stream and this socket's switch."""
    if params is None:
        return None
    return {"live": True, **params, "listening": listening}
