"""Cross-origin requests from browser portals (contract §12): `SIJILL_CORS_ORIGINS` lists the
origins (`scheme://host[:port]`, comma-separated) whose pages may call the API; none by default.

Starlette's CORS middleware, outermost: it answers the preflight of an allowed origin (methods
GET and POST; the headers a portal sends: `Authorization`, `Content-Type`, `Accept`,
`X-Request-Id`, `traceparent`), refuses that of any other origin (400, no
`Access-Control-Allow-Origin`), and marks the answers to allowed origins — refusals of the edge
included, so that a portal can read their error — with `Access-Control-Allow-Origin` and the
headers it may read (`X-Request-Id`, `Retry-After`). No credentials mode: tokens travel in the
`Authorization` header, never in cookies. A preflight reads no data and runs no operation: it
is not an audited request. Without the setting nothing changes: `OPTIONS /graphql` is 405.
"""

from __future__ import annotations

import re

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

_ORIGIN = re.compile(r"^(https?)://([a-z0-9.-]+|\[[0-9a-f:]+\])(:[0-9]{1,5})?$")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Accept", "X-Request-Id", "traceparent")
EXPOSED_HEADERS = ("X-Request-Id", "Retry-After")
PREFLIGHT_CACHE_SECONDS = 600


class CorsSettingError(ValueError):
    """SIJILL_CORS_ORIGINS holds something that is not an origin."""


def parse_origins(value: str) -> list[str]:
    """The origins of the setting, or the reason it is refused. An origin is a scheme (http or
    https), a host and an optional port, nothing else: no path, no trailing slash, no wildcard
    (each portal is named)."""
    origins = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        match = _ORIGIN.match(item.lower())
        if match is None:
            raise CorsSettingError(
                f"SIJILL_CORS_ORIGINS: {item!r} is not an origin; write scheme://host[:port] "
                "(e.g. https://portal.example.ma), without path, trailing slash or wildcard")
        if match.group(3) is not None and not 1 <= int(match.group(3)[1:]) <= 65535:
            raise CorsSettingError(f"SIJILL_CORS_ORIGINS: {item!r} has no valid port")
        origins.append(item.lower())
    return sorted(set(origins))


def middleware(value: str) -> list[Middleware]:
    """The CORS middleware for the setting's origins; none when it names none."""
    origins = parse_origins(value)
    if not origins:
        return []
    return [Middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                       allow_headers=list(ALLOWED_HEADERS), expose_headers=list(EXPOSED_HEADERS),
                       allow_credentials=False, max_age=PREFLIGHT_CACHE_SECONDS)]
