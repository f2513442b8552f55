"""The audio bundle of section 6 and the Ogg Opus recording, as pure code."""

import struct

import pytest

from live import protocol as p
from live.audio import ogg

# TOC config 11 (SILK wideband, 60 ms), one frame per packet.
PACKET_60MS = bytes([11 << 3]) + b"\x01" * 30


def test_a_bundle_round_trips_its_packets_sequence_and_capture_time():
    packets = [PACKET_60MS, PACKET_60MS[:10], b"\x58" + b"\x02" * 40]
    bundle = p.parse_bundle(p.build_bundle(7, 1234, packets))
    assert (bundle.seq, bundle.capture_ms, list(bundle.packets)) == (7, 1234, packets)
    assert p.bundle_capture_ms(p.build_bundle(7, 1234, packets)) == 1234


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"A",
        p.build_bundle(1, 0, [b"\x58" * 4000, b"\x58" * 200]),  # over 4 KiB
        b"B" + p.build_bundle(1, 0, [PACKET_60MS])[1:],  # wrong kind byte
        struct.pack(">BIIB", 0x41, 1, 0, 0),  # no packet
        p.build_bundle(1, 0, [PACKET_60MS] * 17),  # 17 packets
        p.build_bundle(1, 0, [PACKET_60MS])[:-1],  # packet past the end
        struct.pack(">BIIBH", 0x41, 1, 0, 1, 500) + b"\x58" * 10,  # length lies
        p.build_bundle(1, 0, [PACKET_60MS]) + b"\x00",  # trailing bytes
        struct.pack(">BIIBH", 0x41, 1, 0, 1, 0),  # an empty packet
    ],
)
def test_a_malformed_bundle_is_refused(data):
    with pytest.raises(p.BadBundle):
        p.parse_bundle(data)


def test_opus_packet_durations_follow_the_toc_byte():
    assert p.opus_samples(PACKET_60MS) == 2880  # 60 ms at 48 kHz
    assert p.opus_samples(bytes([31 << 3])) == 960  # CELT FB 20 ms
    assert p.opus_samples(bytes([(31 << 3) | 1])) == 1920  # two frames
    assert p.opus_samples(bytes([(31 << 3) | 3, 3])) == 2880  # code 3: count byte
    assert p.opus_samples(b"") == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"codec": "mp3"},
        {"sample_rate": 44100},
        {"channels": 2},
        {"frame_ms": 25},
        {"kbps": 500},
        {"kbps": True},
        {"codec": None},
    ],
)
def test_audio_start_with_an_unsupported_setting_is_refused(fields):
    good = {"codec": "opus", "sample_rate": 48000, "channels": 1, "frame_ms": 60}
    assert p.clean_audio_params({**good, "kbps": 12}) is not None
    assert p.clean_audio_params({**good, "kbps": 12, **fields}) is None


def test_the_ogg_checksum_is_crc32_posix_before_its_final_inversion():
    # CRC-32/CKSUM's check value for "123456789" is 0x765E7680 (with the
    # final XOR); Ogg applies none.
    assert ogg.ogg_crc(b"123456789") == 0x765E7680 ^ 0xFFFFFFFF


def pages(data: bytes):
    at = 0
    while at < len(data):
        assert data[at : at + 4] == b"OggS"
        (flags, granule, serial, seq, crc, segments) = struct.unpack_from(
            "<BqIIIB", data, at + 5
        )
        lacing = data[at + 27 : at + 27 + segments]
        end = at + 27 + segments + sum(lacing)
        page = bytearray(data[at:end])
        page[22:26] = b"\0\0\0\0"
        assert ogg.ogg_crc(bytes(page)) == crc
        yield {"flags": flags, "granule": granule, "seq": seq, "body": data[at + 27 + segments : end], "lacing": lacing}  # fmt: skip
        at = end


def test_a_recording_is_ogg_opus_pages_with_checksums_and_granule_positions():
    packets = [PACKET_60MS] * 100  # 6 s
    data, duration_ms = ogg.ogg_opus(packets, serial=42, title="Sóng và âm")
    found = list(pages(data))
    assert found[0]["body"].startswith(b"OpusHead") and found[0]["flags"] == 0x02
    assert found[1]["body"].startswith(b"OpusTags")
    assert "Sóng và âm".encode() in found[1]["body"]
    assert [page["seq"] for page in found] == list(range(len(found)))
    assert found[-1]["flags"] & 0x04  # end of stream
    assert found[-1]["granule"] == 100 * 2880
    granules = [page["granule"] for page in found[2:]]
    assert granules == sorted(granules)
    body = b"".join(page["body"] for page in found[2:])
    assert body == PACKET_60MS * 100
    assert duration_ms == (100 * 2880 - ogg.PRE_SKIP) * 1000 // 48000
