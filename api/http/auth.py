"""Bearer JWT → Principal. Verification only: no database access, no writes.

Algorithms are an explicit allow-list chosen by configuration, never by the token:
HS256 with a shared secret (development), or RS256/ES256 with a public key or a JWKS URL
(production). A deployment never accepts both families, which rules out HS/RS confusion.
"""

from __future__ import annotations

import time
from typing import Any

import jwt

from api.errors import Unauthenticated
from api.http.jwks import JwksCache
from api.identifiers import is_valid_idcs
from api.principal import ROLES, Principal
from api.programs.catalogue import catalogue
from api.settings import DEV_JWT_SECRET, Settings

REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]
TIME_CLAIMS = ("exp", "iat", "nbf")
MAX_TOKEN_BYTES = 8 * 1024
VERIFIED_CACHE_SIZE = 10_000


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # token -> (principal, usable until, key it was verified with): a token is verified
        # once, then served from here until it expires or its signing key leaves the key set.
        self._verified: dict[str, tuple[Principal, float, Any]] = {}
        self.jwks: JwksCache | None = None
        if settings.production and not (settings.jwt_jwks_url or settings.jwt_public_key_file):
            raise RuntimeError("SIJILL_ENV=production verifies RS256/ES256 tokens only: set "
                               "SIJILL_JWT_PUBLIC_KEY_FILE or SIJILL_JWT_JWKS_URL")
        if settings.jwt_jwks_url:
            self.algorithms = ["RS256", "ES256"]
            self.jwks = JwksCache(settings.jwt_jwks_url)
            self._key: Any = None
        elif settings.jwt_public_key_file:
            self.algorithms = ["RS256", "ES256"]
            self._key = settings.jwt_public_key_file.read_text()
        else:
            self.algorithms = ["HS256"]
            self._key = settings.jwt_secret

    async def _signing_key(self, token: str) -> Any:
        if self.jwks is None:
            return self._key
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Invalid token: {_reason(exc)}") from exc
        key = await self.jwks.key(kid if isinstance(kid, str) else None)
        if key is None:
            raise Unauthenticated("Invalid token: unknown signing key (kid).")
        return key

    async def verify(self, token: str) -> Principal:
        if len(token) > MAX_TOKEN_BYTES:
            raise Unauthenticated(f"Invalid token: over {MAX_TOKEN_BYTES} bytes.")
        key = await self._signing_key(token)
        hit = self._verified.get(token)
        if hit is not None and hit[2] is key and time.time() < hit[1]:
            return hit[0]
        principal, expires = self._decode(token, key)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, expires, key)
        return principal

    def _decode(self, token: str, key: Any) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("Token expired.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Invalid token: {_reason(exc)}") from exc
        check_lifetime(claims, self.settings.jwt_max_lifetime_seconds)
        return principal_from_claims(claims), float(claims["exp"]) + self.settings.jwt_leeway_seconds


def check_lifetime(claims: dict[str, Any], max_lifetime: int) -> None:
    """`exp`, `iat` and `nbf` are numbers (a numeric string is not), and a token lives at most
    `max_lifetime` seconds from its issue."""
    for name in TIME_CLAIMS:
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Unauthenticated(f"Invalid token: `{name}` must be a number (NumericDate).")
    if claims["exp"] - claims["iat"] > max_lifetime:
        raise Unauthenticated(f"Invalid token: it lives over {max_lifetime} seconds "
                              "(`exp` − `iat`).")


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text[:120]


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles")
    if not isinstance(roles, list) or len(roles) != 1 or not isinstance(roles[0], str):
        # Merged grants of several roles defeated row scopes and data minimisation.
        raise Unauthenticated("Invalid token: `roles` must hold exactly one role.")
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise Unauthenticated(f"Invalid token: unknown roles {unknown}.")
    program = claims.get("program")
    if "program_agency" in roles:
        if not isinstance(program, str) or program not in catalogue():
            raise Unauthenticated("Invalid token: `program_agency` needs a known `program`.")
    elif program is not None:
        raise Unauthenticated("Invalid token: `program` is only for `program_agency`.")
    provinces = claims.get("provinces") or []
    if not isinstance(provinces, list) or not all(isinstance(p, str) for p in provinces):
        raise Unauthenticated("Invalid token: `provinces` must be a list of codes.")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 120 or not subject.isprintable():
        raise Unauthenticated("Invalid token: `sub` must be 1 to 120 printable characters.")
    if roles == ["citizen"] and not is_valid_idcs(subject):
        raise Unauthenticated("Invalid token: a citizen's `sub` is their IDCS (ten digits, "
                              "Luhn).")
    purpose = claims.get("purpose")
    if purpose is not None and (
        not isinstance(purpose, str) or len(purpose) > 300 or not purpose.isprintable()
    ):
        raise Unauthenticated("Invalid token: `purpose` must be at most 300 printable characters.")
    return Principal(
        subject=subject,
        roles=frozenset(roles),
        program=program,
        provinces=frozenset(provinces),
        purpose=purpose if isinstance(purpose, str) else None,
        claims=claims,
    )


# `mint_token(purpose=FIRST_ALLOWED)`: an agency's token declares its program's first purpose.
FIRST_ALLOWED = object()


def mint_token(
    settings: Settings,
    *,
    roles: list[str],
    subject: str,
    program: str | None = None,
    provinces: list[str] | None = None,
    purpose: str | None | object = FIRST_ALLOWED,
    ttl_seconds: int = 3600,
) -> str:
    """A development token signed with the HS256 secret. A program agency's declares the
    program's first allowed purpose unless `purpose` says otherwise (None: none at all)."""
    if purpose is FIRST_ALLOWED:
        purpose = None
        if "program_agency" in roles and program:
            from api.programs.catalogue import catalogue

            entry = catalogue().programs.get(program)
            purpose = entry.purposes[0] if entry is not None else None
    if settings.production and settings.jwt_secret == DEV_JWT_SECRET:
        raise RuntimeError("refusing to sign with the development secret in production")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_seconds,
        "roles": roles,
    }
    if program:
        claims["program"] = program
    if provinces:
        claims["provinces"] = provinces
    if purpose:
        claims["purpose"] = purpose
    principal_from_claims(claims)  # refuse to mint what the server would refuse
    check_lifetime(claims, settings.jwt_max_lifetime_seconds)
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
