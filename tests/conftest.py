"""Session fixtures: one fresh database per test session, the ASGI app, tokens and helpers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from tortoise import Tortoise

from api.http.app import create_app
from api.http.auth import mint_token
from api.services.migrations import migrate
from api.settings import Settings
from tests.db import TABLES, TestDatabase, choose_server


def pytest_report_header(config):
    return "database: chosen at session start (see the 'sijill test database' line)"


@pytest.fixture(scope="session")
async def database():
    db = TestDatabase(await choose_server())
    print(f"\nsijill test database: {db.engine} ({db.name})")
    if db.engine == "sqlite":
        print("sijill: no PostgreSQL selected or reachable, running the suite on SQLite")
    await db.create()
    settings = Settings(DATABASE_URL=db.url, SIJILL_DB_POOL_MAX=30, SIJILL_RATE_LIMITS="none",
                        SIJILL_REFUSAL_RATE="none")
    await migrate(settings, db.url)
    yield db
    await Tortoise.close_connections()
    await db.drop()


@pytest.fixture(scope="session")
def settings(database) -> Settings:
    # Rate limits are off for the suite (it fires hundreds of requests as one caller, and
    # hundreds of refusals from one address); tests/api/test_rate_limit.py and
    # tests/api/test_edge.py build apps with limits on.
    return Settings(DATABASE_URL=database.url, SIJILL_DB_POOL_MAX=30, SIJILL_RATE_LIMITS="none",
                    SIJILL_REFUSAL_RATE="none")


@pytest.fixture(scope="session")
async def app(settings):
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
async def http(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sijill.test") as client:
        yield client


@pytest.fixture(autouse=True)
async def clean_tables(request):
    """Empty the registry tables before each test that uses the database."""
    if "app" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app")
    db: TestDatabase = request.getfixturevalue("database")
    conn = Tortoise.get_connection("default")
    if db.engine == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    else:
        await conn.execute_script("".join(f"DELETE FROM {t};" for t in TABLES))
    yield


@dataclass
class Tokens:
    settings: Settings

    def make(self, roles: list[str], subject: str, **claims: Any) -> str:
        return mint_token(self.settings, roles=roles, subject=subject, **claims)

    def admin(self) -> str:
        return self.make(["admin"], "admin-1")

    def registrar(self, *provinces: str) -> str:
        return self.make(["registrar"], "registrar-1", provinces=list(provinces or ["038"]))

    def citizen(self, idcs: str) -> str:
        return self.make(["citizen"], idcs)

    def program(self, code: str) -> str:
        return self.make(["program_agency"], f"agency-{code}", program=code)

    def auditor(self) -> str:
        return self.make(["auditor"], "auditor-1")

    def analyst(self) -> str:
        return self.make(["analyst"], "analyst-1")


@pytest.fixture(scope="session")
def tokens(settings) -> Tokens:
    return Tokens(settings)


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient

    async def raw(self, query: str, variables: dict | None = None, token: str | None = None,
                  headers: dict | None = None) -> httpx.Response:
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}},
                                    headers=h)

    async def __call__(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        response = await self.raw(query, variables, token)
        return response.json()

    async def data(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        body = await self(query, variables, token)
        assert not body.get("errors"), body.get("errors")
        return body["data"]


@pytest.fixture
def gql(http) -> GraphQLClient:
    return GraphQLClient(http)


class QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "audit_" in text or "pg_advisory" in text or "program_lookup" in text:
            # the audit record's and the daily cap's own statements: constant per request
            # (tests/api/test_daily_cap.py counts the latter)
            return
        if text.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            self.statements.append(text)


@pytest.fixture
def count_queries():
    """Statements sent through Tortoise and through the fast path's own SQL."""
    loggers = [logging.getLogger("tortoise.db_client"), logging.getLogger("sijill.fastpath.sql")]
    counter = QueryCounter()
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(counter)
    yield counter
    for logger, level in zip(loggers, previous, strict=True):
        logger.removeHandler(counter)
        logger.setLevel(level)
