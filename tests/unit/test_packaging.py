"""Every data file the code reads from api/ is declared as package data, so that an installed
wheel (the container image) has it too — not only a checkout."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def matches(path: str, pattern: str) -> bool:
    """As setuptools' glob: `*` stays within one folder."""
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(map(fnmatch.fnmatchcase, parts, wanted))


def test_every_data_file_under_api_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["api"]
    data = [p.relative_to(ROOT / "api").as_posix() for p in (ROOT / "api").rglob("*")
            if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts]
    assert data
    missing = [f for f in data if not any(matches(f, pattern) for pattern in patterns)]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
