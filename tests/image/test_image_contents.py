"""What the built container image holds, read from its mounted root filesystem (.ci/image mounts
it and sets SIJILL_IMAGE_ROOT): Sijill and its runtime dependencies in a virtualenv, run by an
unprivileged user — and no compiler, no test or development dependency, no `.git`, no secret,
no package manager left in the virtualenv."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.image

ROOT = Path(os.environ.get("SIJILL_IMAGE_ROOT", "/nonexistent"))
VENV = ROOT / "opt" / "sijill"
PROJECT = Path(__file__).resolve().parents[2]

# Debian packages that compile, link or fetch source: none may be installed.
BUILD_PACKAGES = {"gcc", "g++", "cpp", "clang", "make", "build-essential", "libc6-dev",
                  "binutils", "python3-dev", "libpython3-dev", "git", "rustc", "cargo"}
COMPILERS = ("gcc", "cc", "c++", "g++", "clang", "ld", "as", "make", "git", "rustc", "cargo")
# Files that would be secrets if present: keys, environment files, credentials. The system's
# CA certificates are public and expected.
SECRET_NAMES = re.compile(r"(\.pem|\.key|\.p12|\.pfx|id_rsa|id_ed25519|\.env|\.netrc|"
                          r"credentials|\.pgpass)$", re.IGNORECASE)
PUBLIC_CERT_DIRS = ("etc/ssl/certs", "usr/share/ca-certificates", "usr/lib/ssl",
                    "opt/sijill/lib")  # certifi's bundle (public CAs) lives in the virtualenv


def _skip_without_image():
    if not ROOT.is_dir():
        pytest.skip("no image root: .ci/image mounts the built image and sets SIJILL_IMAGE_ROOT")


@pytest.fixture(scope="module", autouse=True)
def image_root():
    _skip_without_image()
    return ROOT


def _site_packages() -> Path:
    (site,) = sorted(VENV.glob("lib/python3*/site-packages"))
    return site


def _distributions() -> set[str]:
    return {re.sub(r"[-_.]+", "-", p.name.split("-")[0]).lower()
            for p in _site_packages().glob("*.dist-info")}


def _test_only_requirements() -> set[str]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    runtime = {_name(r) for r in project["project"]["dependencies"] + extras["otel"]}
    return {_name(r) for r in extras["test"]} - runtime - {"sijill"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\[<>=! ;]", requirement, maxsplit=1)[0]).lower()


def _installed_debian_packages() -> set[str]:
    status = (ROOT / "var" / "lib" / "dpkg" / "status").read_text(encoding="utf-8")
    installed, name = set(), None
    for line in status.splitlines():
        if line.startswith("Package: "):
            name = line.split(": ", 1)[1].strip()
        elif line.startswith("Status: ") and line.endswith(" installed") and name:
            installed.add(name.split(":")[0])
    return installed


def test_sijill_and_its_runtime_dependencies_are_installed():
    installed = _distributions()
    assert {"sijill", "strawberry-graphql", "asyncpg", "tortoise-orm", "uvicorn",
            "opentelemetry-sdk"} <= installed
    assert (VENV / "bin" / "sijill").is_file()
    assert (ROOT / "srv" / "sijill" / "migrations" / "models").is_dir()


def test_no_test_or_development_dependency():
    leaked = _test_only_requirements() & _distributions()
    assert not leaked, f"test dependencies in the image: {sorted(leaked)}"
    for name in ("pytest", "hypothesis", "ruff", "schemathesis", "selenium"):
        assert name not in _distributions()


def test_no_package_manager_in_the_virtualenv():
    assert not (VENV / "bin" / "pip").exists()
    assert "pip" not in _distributions()


def test_no_compiler_nor_build_tool():
    assert not BUILD_PACKAGES & _installed_debian_packages()
    for directory in ("usr/bin", "usr/local/bin", "bin", "opt/sijill/bin"):
        for name in COMPILERS:
            path = ROOT / directory / name
            assert not (path.exists() or path.is_symlink()), f"/{directory}/{name} in the image"
    assert not list((ROOT / "usr" / "include").glob("python3*")), "Python headers in the image"


def test_no_git_no_tests_no_sources_of_the_checkout():
    for path in ROOT.rglob(".git"):
        pytest.fail(f"{path.relative_to(ROOT)} in the image")
    assert not (ROOT / "srv" / "sijill" / "tests").exists()
    site = _site_packages()
    assert not (site / "tests").exists(), "a top-level tests package was installed"
    for name in ("bench", "docs", ".ci", "Makefile", "Dockerfile", "pyproject.toml"):
        assert not (ROOT / "srv" / "sijill" / name).exists()


def test_no_secret():
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("proc/", "sys/", "dev/")) or relative.startswith(PUBLIC_CERT_DIRS):
            continue
        if SECRET_NAMES.search(path.name) and path.is_file():
            found.append(relative)
    assert not found, f"files that look like secrets: {found}"


def test_runs_as_an_unprivileged_user():
    passwd = (ROOT / "etc" / "passwd").read_text(encoding="utf-8")
    (line,) = [entry for entry in passwd.splitlines() if entry.startswith("sijill:")]
    assert line.split(":")[2] == "10001"
