"""Office files are what they claim to be (#12 Build 3)."""

import io
import zipfile

import pytest

from files import uploads
from tests.files.samples import upload


def archive(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def clean(name, data):
    return uploads.clean_document(upload(name, data, "application/octet-stream"))


def test_a_real_docx_xlsx_pptx_and_odt_are_accepted():
    assert clean("bai.docx", archive(DOCX)).extension == "docx"
    xlsx = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    assert clean("diem.xlsx", archive(xlsx)).extension == "xlsx"
    pptx = {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}
    assert clean("slide.pptx", archive(pptx)).extension == "pptx"
    odt = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b"<x/>",
    }
    assert clean("bai.odt", archive(odt, zipfile.ZIP_STORED)).extension == "odt"


@pytest.mark.parametrize(
    "entries",
    [
        {"setup.exe": b"MZ" + b"\x00" * 100},  # any ZIP renamed .docx
        {**DOCX, "../../evil.sh": b"rm -rf /"},
        {**DOCX, "/etc/cron.d/x": b"x"},
        {**DOCX, "word/vbaProject.bin": b"macros"},  # a .docm renamed
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<w/>",
        },  # xlsx as docx
    ],
)
def test_a_zip_that_is_not_the_document_it_claims_is_refused(entries):
    with pytest.raises(uploads.UploadError) as error:
        clean("bai.docx", archive(entries))
    assert error.value.message == uploads.OFFICE_NOT_VALID
    assert "bai.docx" in str(error.value)


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = archive({**DOCX, "word/media/big.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(uploads.UploadError) as error:
        clean("bai.docx", bomb)
    assert error.value.message == uploads.OFFICE_NOT_VALID


def test_too_many_entries_are_refused():
    many = archive({**DOCX, **{f"x/{i}.xml": b"" for i in range(2001)}})
    with pytest.raises(uploads.UploadError):
        clean("bai.docx", many)


@pytest.mark.parametrize("name", ["bai.doc", "diem.xls", "slide.ppt"])
def test_legacy_office_files_are_refused_with_a_way_out(name):
    ole = uploads.OLE_MAGIC + b"\x00" * 600
    with pytest.raises(uploads.UploadError) as error:
        clean(name, ole)
    assert error.value.message == uploads.LEGACY_OFFICE_REFUSED
    assert ".docx" in str(error.value)
