"""Database configuration for Tortoise and aerich, from DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise.backends.base.config_generator import expand_db_url

from api.settings import Settings

MODEL_MODULES = ["api.models", "aerich.models"]
# The migrations folder sits beside the package in a checkout; an installed image sets
# SIJILL_MIGRATIONS to its copy.
DEFAULT_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def normalise_url(url: str, settings: Settings) -> str:
    """`postgresql://` is accepted as `postgres://`; pool sizes come from settings unless given."""
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.setdefault("minsize", str(settings.db_pool_min))
        query.setdefault("maxsize", str(settings.db_pool_max))
        url = urlunsplit(parts._replace(query=urlencode(query)))
    return url


def connection_config(url: str) -> str | dict:
    """PostgreSQL goes through api.dbengine (a pool without per-release resets)."""
    if not url.startswith("postgres://"):
        return url
    expanded = expand_db_url(url)
    return {"engine": "api.dbengine", "credentials": expanded["credentials"]}


def tortoise_config(settings: Settings, url: str | None = None) -> dict:
    return {
        "connections": {"default": connection_config(normalise_url(url or settings.database_url,
                                                                   settings))},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }
