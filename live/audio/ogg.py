"""
Ogg Opus (RFC 7845) from raw Opus packets: the session's recording.

The browser sends bare Opus packets, each independently decodable; a
recording is those packets in Ogg pages with an identification header
(``OpusHead``), a comment header (``OpusTags``) and the granule position
(48 kHz samples decoded so far) on every page, which is what players seek
on. Written here rather than through ffmpeg: about fifty lines, no system
package, and the pages come out complete and seekable in one pass.
"""

import struct
import zlib
from collections.abc import Iterable

from live.protocol import opus_samples

PRE_SKIP = 312  # samples the decoder discards at the start (libopus' lookahead)
# About one second of 60 ms packets per page: small pages seek finely, and
# a page's 255 lacing values hold any such packets.
PACKETS_PER_PAGE = 16
VENDOR = b"Lophoc"


# The Ogg checksum is CRC-32 with polynomial 0x04c11db7, not reflected,
# initial value 0 and no final XOR. zlib computes the reflected variant in C;
# over bit-reversed bytes, with its initial and final inversions undone, it
# gives the same checksum bit-reversed (a pure-Python loop would cost
# seconds for an hour of audio).
_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def ogg_crc(data: bytes) -> int:
    """The Ogg page checksum."""
    reflected = zlib.crc32(data.translate(_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)


def _page(packets: list[bytes], *, serial: int, seq: int, granule: int, flags: int):
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    if len(lacing) > 255:
        raise ValueError("too many lacing values for one page")
    header = struct.pack(
        "<4sBBqIIIB", b"OggS", 0, flags, granule, serial, seq, 0, len(lacing)
    )
    page = bytearray(header + lacing + b"".join(packets))
    struct.pack_into("<I", page, 22, ogg_crc(bytes(page)))
    return bytes(page)


def opus_head(*, channels: int = 1, input_rate: int = 48000) -> bytes:
    return struct.pack(
        "<8sBBHIhB", b"OpusHead", 1, channels, PRE_SKIP, input_rate, 0, 0
    )


def opus_tags(title: str = "") -> bytes:
    comments = [f"TITLE={title}".encode()] if title else []
    body = struct.pack("<I", len(VENDOR)) + VENDOR + struct.pack("<I", len(comments))
    for comment in comments:
        body += struct.pack("<I", len(comment)) + comment
    return b"OpusTags" + body


def ogg_opus(
    packets: Iterable[bytes], *, serial: int = 1, title: str = ""
) -> tuple[bytes, int]:
    """The Ogg Opus file holding ``packets`` in order, and its length in ms."""
    pages = [
        _page([opus_head()], serial=serial, seq=0, granule=0, flags=0x02),
        _page([opus_tags(title)], serial=serial, seq=1, granule=0, flags=0),
    ]
    granule, batch, seq = 0, [], 2
    for packet in packets:
        samples = opus_samples(packet)
        if not samples:
            continue  # a malformed packet is left out, never breaks the file
        granule += samples
        batch.append(packet)
        if len(batch) == PACKETS_PER_PAGE:
            pages.append(_page(batch, serial=serial, seq=seq, granule=granule, flags=0))
            batch, seq = [], seq + 1
    pages.append(_page(batch, serial=serial, seq=seq, granule=granule, flags=0x04))
    duration_ms = max(granule - PRE_SKIP, 0) * 1000 // 48000
    return b"".join(pages), duration_ms
