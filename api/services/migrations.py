"""Bring a database up to date with the aerich migrations under `migrations/`."""

from __future__ import annotations

from pathlib import Path

from aerich import Command
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError

from api.db import DEFAULT_MIGRATIONS, tortoise_config
from api.settings import Settings


async def migrate(settings: Settings, url: str | None = None) -> list[str]:
    """Apply every migration not yet applied; returns the names of those applied now."""
    location = str(settings.migrations or DEFAULT_MIGRATIONS)
    # A Tortoise context of its own: a running app's connections are neither used nor closed.
    async with TortoiseContext():
        command = Command(tortoise_config(settings, url), app="models", location=location)
        async with command:
            await command.init()
            return await command.upgrade(run_in_transaction=True)


def known_versions(settings: Settings) -> list[str] | None:
    """The migration files this code comes with, in order; None when it has no folder of them
    (an installation without SIJILL_MIGRATIONS)."""
    folder = Path(settings.migrations or DEFAULT_MIGRATIONS) / "models"
    if not folder.is_dir():
        return None
    names = [p.name for p in folder.glob("*.py") if p.name.split("_", 1)[0].isdigit()]
    return sorted(names, key=lambda name: int(name.split("_", 1)[0]))


async def pending(settings: Settings) -> list[str]:
    """The migrations the connected database lacks (all of them when it has none)."""
    known = known_versions(settings)
    if not known:
        return []
    try:
        rows = await get_connection("default").execute_query_dict(
            "SELECT version FROM aerich WHERE app = 'models'")
    except OperationalError as exc:
        if "aerich" not in str(exc):
            raise
        return known  # never migrated: no aerich table
    applied = {row["version"] for row in rows}
    return [name for name in known if name not in applied]
