"""Every translation catalogue compiles, and no msgstr hides two forms behind a tab.

A plural entry written as "singular\\tplural" in one msgstr compiles fine but shows
both forms on the page (issue #20, Words); the check reads what the compiled
catalogue really holds, so an escaped ``\\t`` and a literal tab are both caught.
"""

import gettext
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.rglob("*.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def _compile(po: Path, tmp_path: Path) -> gettext.GNUTranslations:
    mo = tmp_path / (po.stem + ".mo")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"{po.relative_to(ROOT)} does not compile:\n{result.stderr}"
    )
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_the_project_has_its_catalogues():
    names = {str(p.relative_to(ROOT)) for p in CATALOGUES}
    assert "locale/en/LC_MESSAGES/django.po" in names
    assert "courses/locale/en/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_compiles_without_a_tab_in_any_msgstr(po, tmp_path):
    catalogue = _compile(po, tmp_path)
    with_tabs = [
        (key, text)
        for key, text in catalogue._catalog.items()  # noqa: SLF001 - the compiled table itself
        if key and "\t" in text
    ]
    assert with_tabs == [], (
        f"{po.relative_to(ROOT)}: msgstr with a tab: {with_tabs[:3]}"
    )


def test_a_tab_in_a_plural_msgstr_is_rejected(tmp_path):
    """The check itself: the broken shape the English parent home had."""
    po = tmp_path / "broken.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "%(n)s bài đã trả"\nmsgid_plural "%(n)s bài đã trả"\n'
        'msgstr[0] "%(n)s returned\\t%(n)s returned"\n'
        'msgstr[1] "%(n)s returned\\t%(n)s returned"\n',
        encoding="utf-8",
    )
    catalogue = _compile(po, tmp_path)
    msgid = "%(n)s bài đã trả"  # a variable, so makemessages does not collect it
    assert catalogue.ngettext(msgid, msgid, 2) == "%(n)s returned\t%(n)s returned"
    assert any("\t" in text for key, text in catalogue._catalog.items() if key)  # noqa: SLF001
