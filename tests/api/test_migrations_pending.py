"""A server never runs on a database that lacks a migration of its code: each request touching
what the migration adds would fail one by one (an `INTERNAL` for every registration), so the
service refuses to start and says which migrations to apply."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from api.db import DEFAULT_MIGRATIONS
from api.services import migrations
from api.settings import Settings

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
FUTURE = "99_20991231000000_future.py"


def with_a_future_migration(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(DEFAULT_MIGRATIONS, folder)
    (folder / "models" / FUTURE).write_text((folder / "models").glob("10_*.py").__next__()
                                            .read_text())
    return folder


async def test_a_migrated_database_lacks_nothing(gql, settings):
    assert await migrations.pending(settings) == []


async def test_a_migration_not_applied_is_named(gql, settings, tmp_path):
    ahead = Settings(**{**settings.model_dump(by_alias=True),
                        "SIJILL_MIGRATIONS": str(with_a_future_migration(tmp_path))})
    assert await migrations.pending(ahead) == [FUTURE]


def test_the_service_refuses_to_start_without_it(tmp_path, database):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = subprocess.run(
        [sys.executable, "-m", "api.cli", "run", "--port", str(port)], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database.url,
             "SIJILL_MIGRATIONS": str(with_a_future_migration(tmp_path))},
        capture_output=True, text=True, timeout=120)
    assert started.returncode == 3  # uvicorn: the application failed to start
    assert f"The database lacks migrations {FUTURE}: run `sijill migrate`" in started.stderr
