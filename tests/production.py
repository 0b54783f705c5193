"""Production settings for tests: SIJILL_ENV=production verifies RS256/ES256 tokens only, so a
test app in production mode gets a public key file, and tokens signed with its private key."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.settings import Settings

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_DIRECTORY = tempfile.TemporaryDirectory(prefix="sijill-test-keys-")
PUBLIC_KEY_FILE = Path(_DIRECTORY.name) / "public.pem"
PUBLIC_KEY_FILE.write_bytes(PRIVATE_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def production_settings(**overrides) -> Settings:
    values = {"SIJILL_ENV": "production", "SIJILL_JWT_PUBLIC_KEY_FILE": str(PUBLIC_KEY_FILE),
              "SIJILL_REFUSAL_RATE": "none", **overrides}
    return Settings(**values)


def rs256(settings: Settings, **claims) -> str:
    now = int(time.time())
    return jwt.encode({"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now,
                       "exp": now + 600, "sub": "ops", "roles": ["admin"], **claims},
                      PRIVATE_KEY, algorithm="RS256")
