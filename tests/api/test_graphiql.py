"""GraphiQL from the package: a page that loads nothing from outside, served with a strict CSP,
assets with their content types and long cache headers, off in production unless configured."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from api.http.app import create_app
from api.http.graphiql import STATIC_DIR
from api.settings import Settings
from tests import production

pytestmark = pytest.mark.e2e

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                 ".woff2": "font/woff2", ".woff": "font/woff", ".png": "image/png"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


@pytest.fixture
def client(database, app):
    """A second app on the session's database (its lifespan is not run: the session app keeps
    the connections); the page's audit record needs the database, the assets do not."""

    def make(**settings) -> httpx.AsyncClient:
        values = {"DATABASE_URL": database.url, "SIJILL_REFUSAL_RATE": "none", **settings}
        if values.get("SIJILL_ENV") == "production":
            values = production.production_settings(**values).model_dump(by_alias=True)
        application = create_app(Settings(**values))
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                                 base_url="http://sijill.test")

    return make


async def get_page(c: httpx.AsyncClient) -> httpx.Response:
    return await c.get("/graphql", headers={"accept": "text/html"})


def references(html: str) -> list[str]:
    """Every URL the page's script, link and img tags load."""
    parser = Tags()
    parser.feed(html)
    return [attrs[key] for tag, attrs in parser.tags for key in ("src", "href")
            if tag in ("script", "link", "img") and attrs.get(key)]


async def test_graphiql_page_loads_nothing_from_outside_the_server(client):
    async with client() as c:
        page = await get_page(c)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    urls = references(page.text)
    assert len(urls) == 7, urls  # icon, 2 stylesheets, React, ReactDOM, GraphiQL, ours
    for url in urls:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I), url
        assert url.startswith("/graphql/static/"), url
    assert "https://" not in page.text and "http://" not in page.text
    parser = Tags()
    parser.feed(page.text)
    assert parser.inline_scripts == 0
    assert not re.search(r"\son[a-z]+\s*=", page.text, re.I)  # no inline event handlers


async def test_graphiql_page_has_a_self_only_content_security_policy(client):
    async with client() as c:
        page = await get_page(c)
    policy = dict(d.strip().split(" ", 1) for d in page.headers["content-security-policy"].split(";"))
    for directive in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert policy[directive] == "'self'", directive
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_graphiql_assets_are_served_with_their_types_and_long_cache(client):
    async with client() as c:
        page = await get_page(c)
        urls = references(page.text)
        stylesheet = next(u for u in urls if u.split("?")[0].endswith("vendor/graphiql.min.css"))
        css = (await c.get(stylesheet)).text
        # The fonts and images the stylesheet uses are files beside it, never data: or remote.
        assert "data:" not in css
        inner = re.findall(r"url\(([^)]*)\)", css)
        assert inner and all(not re.match(r"^([a-z]+:)?//", u) for u in inner), inner
        urls += [urljoin(stylesheet, u.strip("'\"")) for u in sorted(set(inner))]
        for url in urls:
            response = await c.get(url)
            assert response.status_code == 200, url
            extension = "." + urlsplit(url).path.rsplit(".", 1)[1]
            assert response.headers["content-type"].split(";")[0] == CONTENT_TYPES[extension], url
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.content, url


async def test_graphiql_asset_urls_change_when_an_asset_changes(client):
    async with client() as c:
        urls = references((await get_page(c)).text)
    versions = {urlsplit(u).query for u in urls}
    assert len(versions) == 1 and re.fullmatch(r"v=[0-9a-f]{12}", versions.pop())


def test_the_vendored_graphiql_bundle_is_minified_and_licensed():
    vendor = STATIC_DIR / "vendor"
    assert (vendor / "graphiql.min.js").stat().st_size < 2_000_000
    assert max(len(line) for line in (vendor / "graphiql.min.js").open()) > 10_000
    licences = (vendor / "LICENSES.txt").read_text()
    assert "graphiql@" in licences and "react@" in licences and "MIT License" in licences


def test_graphiql_is_off_in_production_by_default_and_a_setting_turns_it_on():
    assert Settings().graphiql_enabled
    assert not Settings(SIJILL_ENV="production").graphiql_enabled
    assert Settings(SIJILL_ENV="production", SIJILL_GRAPHIQL=True).graphiql_enabled
    assert not Settings(SIJILL_GRAPHIQL=False).graphiql_enabled


async def test_production_serves_neither_the_page_nor_its_assets_by_default(client):
    async with client(SIJILL_ENV="production") as c:
        page = await get_page(c)
        asset = await c.get("/graphql/static/vendor/graphiql.min.js")
    assert "graphiql" not in page.text.lower()
    assert "content-security-policy" not in page.headers
    assert asset.status_code == 404


async def test_production_serves_graphiql_when_configured(client):
    async with client(SIJILL_ENV="production", SIJILL_GRAPHIQL=True) as c:
        page = await get_page(c)
        asset = await c.get(next(u for u in references(page.text) if "graphiql.min.js" in u))
    assert page.status_code == 200 and "Sijill GraphiQL" in page.text
    assert asset.status_code == 200
