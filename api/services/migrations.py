"""Bring a database up to date with the aerich migrations under `migrations/`."""

from __future__ import annotations

from aerich import Command
from tortoise.context import TortoiseContext

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
