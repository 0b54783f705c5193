"""Idempotency keys for registration mutations.

A retried call with the same key and the same input returns the first result and creates
nothing; the same key with a different input is a CONFLICT. The key row is inserted in the
transaction that creates the result, so concurrent retries cannot both create.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from api.errors import BadUserInput, Conflict
from api.models import IdempotencyRecord

KEY_MAX = 100


def request_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= KEY_MAX or not key.isprintable():
        raise BadUserInput(
            f"idempotencyKey is 1 to {KEY_MAX} printable characters.", field="input.idempotencyKey"
        )
    return key


async def previous_result(*, actor: str, operation: str, key: str, digest: str) -> str | None:
    record = await IdempotencyRecord.get_or_none(actor=actor, operation=operation, key=key)
    if record is None:
        return None
    if record.request_hash != digest:
        raise Conflict(
            "This idempotencyKey was already used with a different input.",
            field="input.idempotencyKey",
        )
    return record.result_id


async def remember(*, actor: str, operation: str, key: str, digest: str, result_id: str) -> None:
    await IdempotencyRecord.create(
        actor=actor, operation=operation, key=key, request_hash=digest, result_id=result_id
    )
