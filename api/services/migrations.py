"""Bring a database up to date with the aerich migrations under `migrations/`."""

from __future__ import annotations

from aerich import Command

from api.db import DEFAULT_MIGRATIONS, tortoise_config
from api.settings import Settings


async def migrate(settings: Settings, url: str | None = None) -> list[str]:
    """Apply every migration not yet applied; returns the names of those applied now."""
    location = str(settings.migrations or DEFAULT_MIGRATIONS)
    command = Command(tortoise_config(settings, url), app="models", location=location)
    async with command:
        await command.init()
        return await command.upgrade(run_in_transaction=True)
