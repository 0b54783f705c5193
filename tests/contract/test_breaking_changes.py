"""The breaking-change check against the last released SDL (`sijill schema check-breaking`)."""

from __future__ import annotations

from pathlib import Path

from api.cli import main
from api.schema.compat import RELEASED_DIR, compare, latest_release, released_versions
from api.schema.schema import export_sdl

RELEASED = latest_release()


def _released() -> str:
    return RELEASED.read_text(encoding="utf-8")


def test_there_is_a_released_sdl_and_versions_sort_numerically(tmp_path):
    assert RELEASED is not None and RELEASED.parent == RELEASED_DIR
    for name in ("1.0.graphql", "1.2.graphql", "1.10.graphql", "notes.graphql"):
        (tmp_path / name).write_text("type Query { a: Int }\n")
    assert [p.name for _, p in released_versions(tmp_path)] == [
        "1.0.graphql", "1.2.graphql", "1.10.graphql"]


def test_todays_schema_breaks_nothing_released():
    result = compare(_released(), export_sdl())
    assert result.compatible, [str(c) for c in result.breaking]


def test_a_removed_or_renamed_field_is_breaking():
    old = _released()
    new = old.replace("  reference: String!\n", "  ref: String!\n", 1)
    assert new != old
    result = compare(old, new)
    assert [c.kind for c in result.breaking] == ["FIELD_REMOVED"]
    assert "Household.reference" in result.breaking[0].description


def test_a_nullable_argument_made_required_is_breaking():
    old = _released()
    new = old.replace("expectedVersion: Int = null, schooling",
                      "expectedVersion: Int!, schooling", 1)
    assert new != old
    result = compare(old, new)
    assert [c.kind for c in result.breaking] == ["ARG_CHANGED_KIND"]
    assert "expectedVersion" in result.breaking[0].description


def test_an_added_enum_value_is_only_dangerous():
    old = _released()
    new = old.replace("enum Milieu {\n", "enum Milieu {\n  PERI_URBAN\n", 1)
    result = compare(old, new)
    assert result.compatible
    assert [c.kind for c in result.dangerous] == ["VALUE_ADDED_TO_ENUM"]


def test_the_command_exits_non_zero_on_a_breaking_change(tmp_path, capsys):
    assert main(["schema", "check-breaking"]) == 0
    broken = tmp_path / "schema.graphql"
    broken.write_text(_released().replace("  reference: String!\n", "  ref: String!\n", 1), encoding="utf-8")
    assert main(["schema", "check-breaking", "--schema", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "error: breaking change: FIELD_REMOVED: Field Household.reference was removed." in out


def test_the_command_warns_of_dangerous_changes_and_passes(tmp_path, capsys):
    released = tmp_path / "1.0.graphql"
    released.write_text(_released(), encoding="utf-8")
    newer = tmp_path / "new.graphql"
    newer.write_text(_released().replace("enum Milieu {\n", "enum Milieu {\n  PERI_URBAN\n", 1),
                     encoding="utf-8")
    assert main(["schema", "check-breaking", "--against", str(released),
                 "--schema", str(newer)]) == 0
    assert "warning: dangerous change: VALUE_ADDED_TO_ENUM" in capsys.readouterr().out


def test_a_missing_released_file_is_an_error(tmp_path):
    assert main(["schema", "check-breaking", "--against", str(tmp_path / "none.graphql")]) == 2


def test_released_sdl_is_valid_and_named_for_its_version():
    for version, path in released_versions():
        assert path.name == ".".join(map(str, version)) + ".graphql"
        assert Path(path).read_text(encoding="utf-8").strip()
