"""docs/operations.md documents every setting of api/settings.py: its variable, default, meaning."""

import re
from pathlib import Path

from api.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def configuration_table() -> dict[str, list[str]]:
    section = DOC.read_text().split("## Configuration reference", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([A-Z_]+)`", cells[0]) if len(cells) == 3 else None
        if match:
            rows[match.group(1)] = cells[1:]
    return rows


def test_every_setting_has_a_row_with_default_and_meaning():
    rows = configuration_table()
    variables = {field.alias for field in Settings.model_fields.values()}
    missing = variables - rows.keys()
    assert not missing, f"settings missing from docs/operations.md: {sorted(missing)}"
    unknown = rows.keys() - variables
    assert not unknown, f"docs/operations.md documents settings that do not exist: {sorted(unknown)}"
    for variable, (default, meaning) in rows.items():
        assert default and len(meaning) > 10, variable


def test_documented_numeric_defaults_are_the_code_s():
    rows = configuration_table()
    for field in Settings.model_fields.values():
        if isinstance(field.default, int) and not isinstance(field.default, bool):
            assert rows[field.alias][0] == f"`{field.default}`", field.alias
