"""Configuration: the one place where environment variables are read."""

from __future__ import annotations

import socket
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "sijill-development-secret-change-me-0123456789"  # noqa: S105 - documented dev default


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    database_url: str = Field(default="sqlite://sijill.db", alias="DATABASE_URL")
    env: str = Field(default="development", alias="SIJILL_ENV")

    jwt_secret: str = Field(default=DEV_JWT_SECRET, alias="SIJILL_JWT_SECRET")
    jwt_public_key_file: Path | None = Field(default=None, alias="SIJILL_JWT_PUBLIC_KEY_FILE")
    jwt_jwks_url: str | None = Field(default=None, alias="SIJILL_JWT_JWKS_URL")
    jwt_issuer: str = Field(default="sijill-dev", alias="SIJILL_JWT_ISSUER")
    jwt_audience: str = Field(default="sijill", alias="SIJILL_JWT_AUDIENCE")
    jwt_leeway_seconds: int = Field(default=30, alias="SIJILL_JWT_LEEWAY_SECONDS")
    jwt_max_lifetime_seconds: int = Field(default=86_400, alias="SIJILL_JWT_MAX_LIFETIME_SECONDS")

    # Simulations (api/services/simulation.py): statements run side by side over parts of the
    # register, and the OS priority (nice) of their PostgreSQL backends when on this machine.
    simulation_connections: int = Field(default=2, ge=1, le=16,
                                        alias="SIJILL_SIMULATION_CONNECTIONS")
    simulation_nice: int = Field(default=19, ge=0, le=19, alias="SIJILL_SIMULATION_NICE")
    # … and, when the service is busy as a simulation starts, the share of a core each of its
    # connections may take (it runs in small statements and waits between them); 1: no wait
    simulation_busy_share: float = Field(default=0.15, gt=0, le=1,
                                         alias="SIJILL_SIMULATION_BUSY_SHARE")

    # A PostgreSQL standby (or a pool of them) for the reads that may be slightly stale: the
    # register's statistics. With synchronous_commit = remote_apply on the primary (as the
    # cluster of deploy/ sets) a synchronous standby has applied every acknowledged write.
    standby_database_url: str | None = Field(default=None, alias="SIJILL_STANDBY_DATABASE_URL")

    db_pool_min: int = Field(default=1, alias="SIJILL_DB_POOL_MIN")
    db_pool_max: int = Field(default=10, alias="SIJILL_DB_POOL_MAX")

    migrations: Path | None = Field(default=None, alias="SIJILL_MIGRATIONS")

    rate_limits: str = Field(default="", alias="SIJILL_RATE_LIMITS")
    # Where the callers' buckets live: `database` (PostgreSQL: shared by every node and worker)
    # or `worker` (each worker its own; always so on SQLite). api/http/ratelimit.py.
    rate_limit_store: Literal["database", "worker"] = Field(default="database",
                                                            alias="SIJILL_RATE_LIMIT_STORE")
    # Serve only the access policy version in force across the nodes (api/services/deployment.py):
    # default on in production, off elsewhere (a developer's single node).
    policy_gate: bool | None = Field(default=None, alias="SIJILL_POLICY_GATE")
    # How often a worker reads the access policy version in force.
    policy_check_seconds: float = Field(default=1.0, gt=0, le=60,
                                        alias="SIJILL_POLICY_CHECK_SECONDS")
    # This node's name in the log of publications (default: the host name).
    node_name: str = Field(default_factory=socket.gethostname, alias="SIJILL_NODE_NAME")
    # Refusals before authentication, per client address: `rate/burst` or `none` (api/http/edge.py).
    refusal_rate: str = Field(default="", alias="SIJILL_REFUSAL_RATE")
    program_daily_persons: str = Field(default="", alias="SIJILL_PROGRAM_DAILY_PERSONS")

    graphiql: bool | None = Field(default=None, alias="SIJILL_GRAPHIQL")
    # Origins of browser portals allowed to call the API, comma-separated (api/http/cors.py).
    cors_origins: str = Field(default="", alias="SIJILL_CORS_ORIGINS")

    # Directories of program files beside the packaged catalogue, `:`-separated (api/programs/).
    programs_dir: str = Field(default="", alias="SIJILL_PROGRAMS_DIR")

    # Hot read operations answered with hand-written SQL on PostgreSQL (api/fastpath/).
    fast_path: bool = Field(default=True, alias="SIJILL_FAST_PATH")

    # Query documents planned once and executed by the read engine (api/engine/); false: by
    # strawberry's execution.
    read_engine: bool = Field(default=True, alias="SIJILL_READ_ENGINE")

    # Trusted documents (api/http/trusted_documents.py): comma-separated roles and manifest files.
    trusted_documents_roles: str = Field(default="", alias="SIJILL_TRUSTED_DOCUMENTS_ROLES")
    trusted_documents_manifest: str = Field(default="", alias="SIJILL_TRUSTED_DOCUMENTS_MANIFEST")

    log_format: Literal["json", "console"] | None = Field(default=None, alias="SIJILL_LOG_FORMAT")
    log_level: str = Field(default="INFO", alias="SIJILL_LOG_LEVEL")
    workers: int = Field(default=1, alias="SIJILL_WORKERS")
    otel_enabled: bool = Field(default=False, alias="SIJILL_OTEL_ENABLED")
    # Read by prometheus-client itself; here so that `sijill run` can prepare the directory.
    prometheus_multiproc_dir: Path | None = Field(default=None, alias="PROMETHEUS_MULTIPROC_DIR")

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def policy_gate_enabled(self) -> bool:
        return self.production if self.policy_gate is None else self.policy_gate

    @property
    def graphiql_enabled(self) -> bool:
        if self.graphiql is not None:
            return self.graphiql
        return not self.production

    @property
    def log_renderer(self) -> str:
        """JSON lines in production, a readable console line elsewhere, unless chosen."""
        return self.log_format or ("json" if self.production else "console")


@lru_cache
def get_settings() -> Settings:
    return Settings()
