"""
docs/security-coverage.md names, for every row of docs/security-tests.md, the
tests that hold it and where they run. This keeps the page true: each row of
the catalogue has exactly one line; every ``file::test`` and ``bench/`` script
it names exists; a "tested" row names at least one; a row not fully built
names the issue that will build the rest.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "docs" / "security-tests.md"
COVERAGE = ROOT / "docs" / "security-coverage.md"
ROW_ID = re.compile(r"^- ((?:AZ|QZ|WS|UP|AU|XS|CF|PR|RL|LD)-\d\d) ", re.M)
STATUSES = {"tested", "partly", "not built"}


def coverage_lines():
    text = COVERAGE.read_text()
    table = text[text.index("<!-- rows -->") : text.index("<!-- /rows -->")]
    lines = {}
    for line in table.splitlines()[3:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 5, line
        assert cells[0] not in lines, f"{cells[0]} has two lines"
        lines[cells[0]] = cells
    return lines


def test_every_row_of_the_catalogue_has_one_line():
    rows = ROW_ID.findall(CATALOGUE.read_text())
    assert len(rows) > 80
    assert sorted(coverage_lines()) == sorted(rows)


def _defines(path: Path, name: str) -> bool:
    return re.search(rf"^(async )?def {name}\(", path.read_text(), re.M) is not None


def test_every_named_test_exists_and_each_status_says_what_it_must():
    faults = []
    for row, (_, status, tests, figure, where) in coverage_lines().items():
        if status not in STATUSES:
            faults.append(f"{row}: unknown status {status!r}")
        named = re.findall(r"`([^`]+)`", tests)
        for ref in named:
            path, _, name = ref.partition("::")
            if not (ROOT / path).is_file():
                faults.append(f"{row}: no file {path}")
            elif name and not _defines(ROOT / path, name):
                faults.append(f"{row}: {path} defines no {name}")
        if status == "tested" and not named:
            faults.append(f"{row}: tested by what?")
        if status != "tested" and not re.search(r"#\d+", figure):
            faults.append(f"{row}: which issue builds the rest?")
        if named and not where.strip("— "):
            faults.append(f"{row}: where does it run?")
    assert not faults, "\n".join(faults)
