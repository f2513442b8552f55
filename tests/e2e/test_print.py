"""
Paper (issue #20, Build 5): the roster import's new accounts print as A4
sheets of cut-out login slips (name, username, temporary password, class
code), 16 to a sheet; the gradebook prints on A4 landscape. Both without
the site's header, menu or footer.
"""

import re

import pytest

from classrooms.models import Classroom
from tests.factories import ClassroomFactory
from tests.factories.accounts import TEST_PASSWORD

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

A4_PORTRAIT = (595, 842)  # points, as Chromium writes the MediaBox


def _pages(pdf: bytes) -> list[tuple[int, int]]:
    """The size of each page of a PDF Chromium wrote."""
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    ]


def _csv(tmp_path, count):
    names = [f"Nguyễn Văn Học{chr(65 + i)}" for i in range(count)]
    path = tmp_path / "lop-6a.csv"
    path.write_text("Họ và tên\n" + "\n".join(names) + "\n", encoding="utf-8-sig")
    return path, names


def test_new_accounts_print_as_one_a4_sheet_of_sixteen_login_slips(
    live_server, desktop_page, tmp_path
):
    classroom = ClassroomFactory(name="6A")
    teacher = classroom.homeroom_teacher
    page = desktop_page
    login(page, live_server, teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.get_by_role("link", name="Nhập danh sách từ CSV").first.click()
    csv_path, names = _csv(tmp_path, 16)
    page.set_input_files("input[type=file]", str(csv_path))
    page.get_by_role("button", name="Nhập danh sách").click()
    page.get_by_role("button", name="In phiếu đăng nhập (giấy A4)").wait_for()
    assert page.locator(".slip").first.is_hidden()  # paper only

    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".import-result table").is_hidden()
    slips = page.locator(".slip")
    assert slips.count() == 16
    code = Classroom.objects.get(pk=classroom.pk).join_code
    first = slips.first.inner_text()
    assert names[0] in first and code in first and "Mật khẩu tạm" in first
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert _pages(pdf) == [A4_PORTRAIT]

    # A seventeenth pupil starts a second sheet: no slip is cut in two.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/classes/{classroom.pk}/students/import/")
    csv_path, _names = _csv(tmp_path, 17)
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8-sig").replace("Học", "Lớp"),
        encoding="utf-8-sig",
    )
    page.set_input_files("input[type=file]", str(csv_path))
    page.get_by_role("button", name="Nhập danh sách").click()
    page.get_by_role("button", name="In phiếu đăng nhập (giấy A4)").wait_for()
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert _pages(pdf) == [A4_PORTRAIT, A4_PORTRAIT]


def test_gradebook_prints_on_a4_landscape_without_the_site_header(
    live_server, desktop_page
):
    classroom = ClassroomFactory(name="6B")
    teacher = classroom.homeroom_teacher
    page = desktop_page
    login(page, live_server, teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/homework/")
    page.get_by_role("link", name=re.compile("^6B")).click()
    page.get_by_role("button", name="In sổ điểm (A4 ngang)").wait_for()
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("table.gradebook").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert _pages(pdf) == [A4_PORTRAIT[::-1]]
