"""A request's JSON body, decoded once however many steps read it (rate limits, trusted
documents, the fast path, the audit record, the executor)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

_UNREADABLE = object()

# The media types of a POST body, matched exactly (case-insensitive, parameters allowed).
REQUEST_MEDIA_TYPES = frozenset({"application/json", "application/graphql-response+json"})


def media_type(content_type: str | None) -> str:
    """`Application/JSON; charset=utf-8` → `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def accepted_media_type(content_type: str | None) -> bool:
    return media_type(content_type) in REQUEST_MEDIA_TYPES


async def json_body(request: Request) -> Any:
    """The decoded body; None when it is no JSON (not UTF-8, malformed, nested a thousand
    deep)."""
    state = request.scope.setdefault("state", {})
    cached = state.get("sijill_json_body", _UNREADABLE)
    if cached is not _UNREADABLE:
        return cached
    try:
        decoded = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError, RecursionError):
        decoded = None
    state["sijill_json_body"] = decoded
    return decoded
