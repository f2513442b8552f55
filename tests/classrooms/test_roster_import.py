import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role, User
from classrooms import roster_import, services
from classrooms.models import Enrollment
from tests.factories import StudentFactory, TeacherFactory

LIST = "Họ và tên,Tên đăng nhập\nNguyễn Thị Minh Anh,\nTrần Văn Bình,binhtv\n"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: base letters + combining tone marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if c not in TONE_MARKS)
        )
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def _import(classroom, by, data):
    return services.import_roster(classroom=classroom, data=data, by=by)


@pytest.mark.parametrize(
    "data",
    [
        LIST.encode("utf-8"),
        LIST.encode("utf-8-sig"),
        # Windows-1258 writes tones as combining marks: "Thị" = T h i + dot.
        to_cp1258(LIST),
        LIST.replace(",", ";").encode("utf-8-sig"),
        LIST.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "cp1258", "semicolons", "crlf"],
)
def test_vietnamese_excel_exports_are_imported_with_intact_names(
    classroom, teacher, data
):
    result = _import(classroom, teacher, data)
    assert result.bad_rows == []
    names = {item.student.display_name for item in result.created}
    assert names == {"Nguyễn Thị Minh Anh", "Trần Văn Bình"}
    stored = set(
        User.objects.filter(role=Role.STUDENT).values_list("display_name", flat=True)
    )
    assert stored == names  # NFC, so equal to the typed names
    assert Enrollment.objects.filter(classroom=classroom).count() == 2


def test_cp1258_file_really_differs_from_utf8():
    assert to_cp1258(LIST) != LIST.encode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        to_cp1258(LIST).decode("utf-8")


def test_imported_students_get_usernames_and_a_password_that_works(classroom, teacher):
    result = _import(classroom, teacher, LIST.encode())
    by_name = {item.student.display_name: item for item in result.created}
    assert by_name["Nguyễn Thị Minh Anh"].student.username == "anhntm"
    assert by_name["Trần Văn Bình"].student.username == "binhtv"
    item = by_name["Trần Văn Bình"]
    assert len(item.password) >= 8
    assert User.objects.get(pk=item.student.pk).check_password(item.password)
    assert item.password not in User.objects.get(pk=item.student.pk).password


def test_generated_usernames_avoid_existing_and_in_file_clashes(classroom, teacher):
    StudentFactory(username="anhntm")
    data = "Họ và tên\nNguyễn Thị Minh Anh\nNgô Thu Mai Anh\n".encode()
    result = _import(classroom, teacher, data)
    assert sorted(i.student.username for i in result.created) == ["anhntm2", "anhntm3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Họ và tên\nAn\n".encode("utf-16"), roster_import.NOT_DECODABLE),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
            roster_import.NOT_DECODABLE,
        ),
        ("Lớp,Số\n6A,1\n".encode(), roster_import.NO_HEADER),
        ("Họ và tên\n\n , \n".encode(), roster_import.NO_ROWS),
        (b"", roster_import.NO_ROWS),
    ],
    ids=["utf16", "xlsx-bytes", "no-name-column", "only-blank-rows", "empty"],
)
def test_unreadable_files_are_refused_with_a_message(classroom, teacher, data, message):
    with pytest.raises(ValidationError, match=re.escape(str(message))):
        _import(classroom, teacher, data)
    assert not User.objects.filter(role=Role.STUDENT).exists()


def test_too_many_rows_are_refused(classroom, teacher):
    rows = "".join(f"Học Sinh Số{i}\n" for i in range(roster_import.MAX_ROWS + 1))
    with pytest.raises(ValidationError):
        _import(classroom, teacher, f"Họ và tên\n{rows}".encode())
    assert not User.objects.filter(role=Role.STUDENT).exists()


def test_bad_rows_are_named_and_nothing_is_saved(classroom, teacher):
    StudentFactory(username="taken")
    data = (
        "Họ và tên,Tên đăng nhập\n"
        "Lê Văn Đúng,dungvl\n"  # row 2: fine
        ",khongten\n"  # row 3: no name
        "Phạm Thị Trùng,dungvl\n"  # row 4: repeats row 2
        "Hồ Văn Cũ,taken\n"  # row 5: exists already
        "Vũ Sai,Có Dấu\n"  # row 6: invalid username
    ).encode()
    result = _import(classroom, teacher, data)
    report = {row.number: [str(e) for e in row.errors] for row in result.bad_rows}
    assert report == {
        3: [str(roster_import.NAME_MISSING)],
        4: [
            str(
                roster_import.USERNAME_DUPLICATE_IN_FILE
                % {"username": "dungvl", "row": 2}
            )
        ],
        5: [str(roster_import.USERNAME_TAKEN % {"username": "taken"})],
        6: [str(roster_import.USERNAME_INVALID)],
    }
    assert result.created == []
    assert not User.objects.filter(username="dungvl").exists()
    assert not Enrollment.objects.exists()


def test_teacher_of_another_class_cannot_import(classroom):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(classroom, TeacherFactory(), LIST.encode())
    assert not User.objects.filter(role=Role.STUDENT).exists()


def test_import_page_reports_bad_rows_by_number(client, classroom, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile(
        "lop.csv", "Họ và tên\nĐúng Tên\n\n,x\n".encode(), content_type="text/csv"
    )
    url = reverse("classrooms:import-roster", args=[classroom.pk])
    response = client.post(url, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 4" in body and str(roster_import.NAME_MISSING) in body
    assert not User.objects.filter(role=Role.STUDENT).exists()


def test_import_page_shows_passwords_once(client, classroom, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile("lop.csv", LIST.encode("utf-8-sig"))
    url = reverse("classrooms:import-roster", args=[classroom.pk])
    body = client.post(url, {"file": upload}).content.decode()
    shown = re.search(r"<code>binhtv</code></td><td><code>(\w+)</code>", body)
    student = User.objects.get(username="binhtv")
    assert shown and student.check_password(shown[1])
    assert student.enrollments.filter(classroom=classroom).exists()
    roster = client.get(reverse("classrooms:roster", args=[classroom.pk]))
    assert "binhtv" in roster.content.decode()
    assert shown[1] not in client.get(url).content.decode()


def test_import_page_refuses_a_wrong_encoding_with_a_message(
    client, classroom, teacher
):
    client.force_login(teacher)
    upload = SimpleUploadedFile("lop.csv", "Họ và tên\nAn\n".encode("utf-16"))
    url = reverse("classrooms:import-roster", args=[classroom.pk])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert str(roster_import.NOT_DECODABLE) in response.content.decode()


def test_import_page_without_a_file_answers_with_a_form_error(
    client, classroom, teacher
):
    client.force_login(teacher)
    url = reverse("classrooms:import-roster", args=[classroom.pk])
    response = client.post(url, {"file": "not a file"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
