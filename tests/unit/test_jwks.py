"""JWKS: keys by `kid`, fetched off the event loop, unknown kids refetch at most once per cooldown."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from api.errors import Unauthenticated
from api.http.auth import TokenVerifier
from api.settings import Settings


class JwksServer:
    def __init__(self) -> None:
        self.keys: list[dict] = []
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.hits += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, private_key, kid: str) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
        self.keys.append(jwk)


@pytest.fixture
def jwks():
    server = JwksServer()
    yield server
    server.server.shutdown()


def token(private_key, kid, **overrides):
    now = int(time.time())
    claims = {"iss": "sijill-dev", "aud": "sijill", "sub": "agency-1", "iat": now,
              "exp": now + 300, "roles": ["program_agency"], "program": "ASD", **overrides}
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


async def test_a_token_signed_by_a_published_key_is_accepted(jwks):
    key = new_key()
    jwks.publish(key, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    principal = await verifier.verify(token(key, "k1"))
    assert principal.program == "ASD"


async def test_unknown_kids_refetch_at_most_once_per_cooldown(jwks):
    key = new_key()
    jwks.publish(key, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    await verifier.jwks.refresh()
    hits = jwks.hits
    for i in range(20):
        with pytest.raises(Unauthenticated, match="unknown signing key"):
            await verifier.verify(token(new_key(), f"forged-{i}"))
    assert jwks.hits <= hits + 1


async def test_a_rotated_key_is_picked_up_after_the_cooldown(jwks):
    old, rotated = new_key(), new_key()
    jwks.publish(old, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    verifier.jwks.cooldown_seconds = 0
    await verifier.verify(token(old, "k1"))
    jwks.publish(rotated, "k2")
    assert (await verifier.verify(token(rotated, "k2"))).subject == "agency-1"


async def test_hs256_and_none_are_refused_with_jwks(jwks):
    key = new_key()
    jwks.publish(key, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    now = int(time.time())
    claims = {"iss": "sijill-dev", "aud": "sijill", "sub": "x", "iat": now, "exp": now + 60,
              "roles": ["admin"]}
    forged = jwt.encode(claims, "any-secret-of-enough-length-000000", algorithm="HS256",
                        headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        await verifier.verify(forged)
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        await verifier.verify(unsigned)


async def test_fetching_does_not_block_the_event_loop(jwks):
    import asyncio

    key = new_key()
    jwks.publish(key, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await verifier.jwks.refresh()
    task.cancel()
    assert ticks > 0  # the loop kept running while the keys were fetched in a thread


async def test_a_cached_verification_ends_when_the_key_leaves_the_key_set(jwks):
    key = new_key()
    jwks.publish(key, "k1")
    verifier = TokenVerifier(Settings(SIJILL_JWT_JWKS_URL=jwks.url))
    signed = token(key, "k1")
    assert (await verifier.verify(signed)).subject == "agency-1"
    assert (await verifier.verify(signed)).subject == "agency-1"  # served from the cache
    jwks.keys.clear()  # the identity provider withdraws the key for another
    jwks.publish(new_key(), "k2")
    await verifier.jwks.refresh()
    verifier.jwks.cooldown_seconds = 3600
    with pytest.raises(Unauthenticated):
        await verifier.verify(signed)


async def test_a_cached_verification_ends_when_the_token_expires():
    import asyncio

    settings = Settings(SIJILL_JWT_LEEWAY_SECONDS=0)
    now = int(time.time())
    signed = jwt.encode({"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "sub": "a-1",
                         "iat": now, "exp": now + 2, "roles": ["admin"]},
                        settings.jwt_secret, algorithm="HS256")
    verifier = TokenVerifier(settings)
    assert (await verifier.verify(signed)).subject == "a-1"
    await asyncio.sleep(max(0.0, now + 2.2 - time.time()))
    with pytest.raises(Unauthenticated):
        await verifier.verify(signed)
