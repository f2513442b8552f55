"""Any upload is either read or refused with a message: never a crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classrooms import roster_import


def _read(data: bytes):
    try:
        rows = roster_import.parse_roster(roster_import.decode_roster(data))
    except roster_import.RosterFileError as error:
        assert str(error.message)
        return None
    roster_import.check_usernames(rows, taken=["taken"])
    return rows


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_read_or_refused(data):
    _read(data)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.lists(st.text(max_size=40), min_size=1, max_size=4), min_size=1, max_size=20
    ),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_arbitrary_tables_under_a_valid_header_are_read_or_refused(
    cells, delimiter, encoding
):
    lines = ["Họ và tên" + delimiter + "Tên đăng nhập"]
    lines += [delimiter.join(row) for row in cells]
    rows = _read("\n".join(lines).encode(encoding, errors="surrogatepass"))
    for row in rows or []:
        assert row.number >= 2
        assert row.errors or row.display_name


def test_a_huge_field_is_refused_with_a_message():
    data = ('Họ và tên\n"' + "a" * 200_000 + '"\n').encode()
    with pytest.raises(roster_import.RosterFileError):
        roster_import.parse_roster(roster_import.decode_roster(data))
