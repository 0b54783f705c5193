"""JWKS keys, fetched and cached off the request path.

The key set is fetched at start and refreshed in the background every `refresh_seconds`; a
token naming an unknown `kid` may trigger one early refresh, at most once per
`cooldown_seconds` (a flood of forged `kid`s cannot hammer the identity provider). Fetching uses
PyJWKClient's blocking HTTP in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import jwt
from jwt import PyJWKClient

log = logging.getLogger("sijill.jwks")


class JwksCache:
    def __init__(self, url: str, *, refresh_seconds: float = 600, cooldown_seconds: float = 30,
                 timeout_seconds: float = 5) -> None:
        self.url = url
        self.refresh_seconds = refresh_seconds
        self.cooldown_seconds = cooldown_seconds
        self.timeout_seconds = timeout_seconds
        self._client = PyJWKClient(url, cache_keys=False, cache_jwk_set=False,
                                   timeout=int(timeout_seconds))
        self._keys: dict[str, Any] = {}
        self._last_attempt = 0.0
        self._lock = asyncio.Lock()
        self._task: asyncio.Task | None = None
        self.fetches = 0

    async def refresh(self) -> None:
        async with self._lock:
            self._last_attempt = time.monotonic()
            self.fetches += 1
            try:
                keys = await asyncio.wait_for(
                    asyncio.to_thread(self._client.get_signing_keys), self.timeout_seconds
                )
            except (jwt.PyJWKClientError, TimeoutError, OSError) as exc:
                log.warning("JWKS refresh failed: %s", type(exc).__name__)
                return
            self._keys = {k.key_id: k.key for k in keys if k.key_id}

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="jwks-refresh")

    async def _loop(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self.refresh_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def key(self, kid: str | None) -> Any | None:
        if not kid:
            return None
        key = self._keys.get(kid)
        if key is None and time.monotonic() - self._last_attempt >= self.cooldown_seconds:
            await self.refresh()  # an unknown kid: maybe a rotated key (rate-limited)
            key = self._keys.get(kid)
        return key
