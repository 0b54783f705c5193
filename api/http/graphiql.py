"""GraphiQL served from the package: the page, its script and the vendored assets
(api/static/graphiql/, vendored by api/static/graphiql/update-vendor). Nothing is loaded from outside the
server, so the page works inside a closed network; its Content-Security-Policy allows 'self' only."""

from __future__ import annotations

import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

# Explicit, whatever the host's /etc/mime.types says (the assets are sent with nosniff).
for _type, _extension in [("text/javascript", ".js"), ("text/css", ".css"), ("font/woff2", ".woff2"),
                          ("font/woff", ".woff"), ("image/svg+xml", ".svg")]:
    mimetypes.add_type(_type, _extension)

STATIC_DIR = Path(__file__).resolve().parents[1] / "static" / "graphiql"  # api/static/graphiql
STATIC_PATH = "/graphql/static"

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Asset URLs carry the digest of the assets (`?v=`), so a browser may keep them for a year.
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"


@lru_cache(maxsize=1)
def assets_digest() -> str:
    """A short digest of every file under the static folder: it changes when any asset does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


def page(request: Request) -> Response:
    """The GraphiQL page: asset URLs under this app's own root path, CSP 'self'."""
    static = request.scope.get("root_path", "").rstrip("/") + STATIC_PATH
    html = _template().substitute(static=static, version=assets_digest())
    return HTMLResponse(html, headers=PAGE_HEADERS)


class CachedStaticFiles(StaticFiles):
    """Static files with a long Cache-Control and no content-type sniffing."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = ASSET_CACHE_CONTROL
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def static_mount() -> Mount:
    return Mount(STATIC_PATH, app=CachedStaticFiles(directory=STATIC_DIR), name="graphiql-static")
