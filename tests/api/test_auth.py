"""Bearer JWT authentication over HTTP (contract §2) and the `sijill token` command."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api import cli
from api.http.app import create_app
from api.settings import Settings, get_settings

pytestmark = pytest.mark.e2e

ME = "{ me { subject roles program provinces } }"


def claims(settings: Settings, **overrides) -> dict:
    now = int(time.time())
    base = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "admin-1",
        "iat": now,
        "exp": now + 600,
        "roles": ["admin"],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs256(settings: Settings, secret: str | None = None, **overrides) -> str:
    key = secret or settings.jwt_secret
    return jwt.encode(claims(settings, **overrides), key, algorithm="HS256")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body.get("data") is None
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert codes and set(codes) == {"UNAUTHENTICATED"}, body


async def assert_me_ok(gql, token: str, subject: str) -> dict:
    response = await gql.raw(ME, token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    assert body["data"]["me"]["subject"] == subject
    return body["data"]["me"]


# ---------------------------------------------------------------- missing and malformed tokens


async def test_me_without_token_is_unauthenticated(gql):
    assert_unauthenticated(await gql.raw(ME))


async def test_garbage_token_is_refused(gql):
    assert_unauthenticated(await gql.raw(ME, token="not-a-jwt"))
    assert_unauthenticated(await gql.raw(ME, token="a.b.c"))


@pytest.mark.parametrize("header", ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer    ", "Token abc"])
async def test_malformed_authorization_header_is_refused(gql, header):
    assert_unauthenticated(await gql.raw(ME, headers={"Authorization": header}))


async def test_valid_hs256_token_is_accepted(gql, settings):
    me = await assert_me_ok(gql, hs256(settings), "admin-1")
    assert me["roles"] == ["admin"]
    assert me["program"] is None
    assert me["provinces"] == []


# ---------------------------------------------------------------- standard claims


async def test_expired_token_is_refused(gql, settings):
    now = int(time.time())
    leeway = settings.jwt_leeway_seconds
    token = hs256(settings, iat=now - 3600, exp=now - leeway - 60)
    response = await gql.raw(ME, token=token)
    assert_unauthenticated(response)
    assert "expired" in response.json()["errors"][0]["message"].lower()


async def test_token_expired_within_leeway_is_still_accepted(gql, settings):
    now = int(time.time())
    assert settings.jwt_leeway_seconds >= 10
    token = hs256(settings, iat=now - 600, exp=now - 5)
    await assert_me_ok(gql, token, "admin-1")


async def test_wrong_audience_is_refused(gql, settings):
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, aud="another-system")))
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, aud=["another-system"])))


async def test_wrong_issuer_is_refused(gql, settings):
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, iss="someone-else")))


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss", "aud"])
async def test_token_without_a_required_claim_is_refused(gql, settings, claim):
    payload = claims(settings)
    del payload[claim]
    token = jwt.encode(payload, settings.jwt_secret, algorithm="HS256")
    assert_unauthenticated(await gql.raw(ME, token=token))


async def test_token_not_yet_valid_is_refused(gql, settings):
    now = int(time.time())
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, nbf=now + 3600)))
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, iat=now + 3600)))


async def test_alg_none_token_is_refused(gql, settings):
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(settings)).encode())
    for token in (f"{header}.{payload}.", f"{header}.{payload}"):
        assert_unauthenticated(await gql.raw(ME, token=token))
    # the same with a capitalised algorithm name
    header = b64(json.dumps({"alg": "None", "typ": "JWT"}).encode())
    assert_unauthenticated(await gql.raw(ME, token=f"{header}.{payload}."))


async def test_token_signed_with_another_secret_is_refused(gql, settings):
    token = hs256(settings, secret="not-the-server-secret-" + "x" * 32)
    assert_unauthenticated(await gql.raw(ME, token=token))


@pytest.mark.filterwarnings("ignore:The HMAC key")
async def test_hs512_token_with_the_right_secret_is_refused(gql, settings):
    token = jwt.encode(claims(settings), settings.jwt_secret, algorithm="HS512")
    assert_unauthenticated(await gql.raw(ME, token=token))


async def test_tampered_payload_is_refused(gql, settings):
    token = hs256(settings, sub="citizen-x", roles=["auditor"])
    await assert_me_ok(gql, token, "citizen-x")  # the untouched token is good
    header, payload, signature = token.split(".")
    body = json.loads(unb64(payload))
    body["roles"] = ["admin"]
    forged = f"{header}.{b64(json.dumps(body).encode())}.{signature}"
    assert_unauthenticated(await gql.raw(ME, token=forged))
    # a flipped signature byte is refused too
    sig = bytearray(unb64(signature))
    sig[0] ^= 0x01
    assert_unauthenticated(await gql.raw(ME, token=f"{header}.{payload}.{b64(bytes(sig))}"))


# ---------------------------------------------------------------- authorisation claims


@pytest.mark.parametrize(
    "overrides",
    [
        {"roles": ["superuser"]},
        {"roles": ["admin", "root"]},
        {"roles": []},
        {"roles": "admin"},
        {"roles": None},
        {"roles": ["program_agency"]},  # program_agency without program
        {"roles": ["program_agency"], "program": "UNKNOWN"},
        {"roles": ["registrar"], "program": "ASD"},  # program only with program_agency
        {"roles": ["registrar"], "provinces": "038"},
        {"roles": ["registrar"], "provinces": [38]},
        {"sub": ""},
        # one role per token (contract §2a): merged grants defeated row scopes
        {"roles": ["citizen", "program_agency"], "sub": "1234567897", "program": "ASD"},
        {"roles": ["admin", "auditor"]},
        {"roles": ["admin", "admin"]},
        # a citizen's subject is a well-formed IDCS
        {"roles": ["citizen"], "sub": "not-an-idcs"},
        {"roles": ["citizen"], "sub": "1234567890"},  # wrong Luhn digit
        # time claims are numbers, and a token lives at most a day
        {"exp": str(int(time.time()) + 600)},
        {"iat": str(int(time.time()))},
        {"nbf": "0"},
        {"exp": True},
        {"exp": int(time.time()) + 100 * 365 * 86_400},
        {"iat": int(time.time()) - 2 * 86_400, "exp": int(time.time()) + 600},
    ],
    ids=lambda o: json.dumps(o),
)
async def test_invalid_authorisation_claims_are_refused(gql, settings, overrides):
    assert_unauthenticated(await gql.raw(ME, token=hs256(settings, **overrides)))


async def test_a_multi_role_citizen_token_reads_no_household(gql, settings):
    """`roles: ["citizen", "program_agency"]` once read any household through `eligibility`."""
    token = hs256(settings, roles=["citizen", "program_agency"], program="ASD", sub="1234567897")
    response = await gql.raw('{ eligibility(program: ASD, idcs: "1234567897") { eligible } }',
                             token=token)
    assert_unauthenticated(response)


async def test_a_token_over_8_kib_is_refused(gql, settings):
    """Header and token size: at most 8 KiB (contract §2a), 431 at the edge."""
    response = await gql.raw(ME, token=hs256(settings, padding="y" * 9000))
    assert response.status_code == 431, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    with pytest.raises(Exception, match="over 8192 bytes"):
        from api.http.auth import TokenVerifier

        await TokenVerifier(settings).verify("x" * 8193)


async def test_a_citizen_token_with_a_valid_idcs_is_accepted(gql, settings):
    await assert_me_ok(gql, hs256(settings, roles=["citizen"], sub="1234567897"), "1234567897")


async def test_a_token_of_exactly_the_maximum_lifetime_is_accepted(gql, settings):
    now = int(time.time())
    await assert_me_ok(gql, hs256(settings, iat=now, exp=now + settings.jwt_max_lifetime_seconds),
                       "admin-1")


async def test_me_for_a_registrar_with_provinces(gql, tokens):
    token = tokens.make(["registrar"], "registrar-7", provinces=["038", "001", "141"])
    me = await assert_me_ok(gql, token, "registrar-7")
    assert me == {
        "subject": "registrar-7",
        "roles": ["registrar"],
        "program": None,
        "provinces": ["001", "038", "141"],
    }


async def test_me_for_a_program_agency(gql, tokens):
    me = await assert_me_ok(gql, tokens.program("AMO_TADAMON"), "agency-AMO_TADAMON")
    assert me["roles"] == ["program_agency"]
    assert me["program"] == "AMO_TADAMON"
    assert me["provinces"] == []


# ---------------------------------------------------------------- RS256 deployment


@pytest.fixture
def rsa_keys(tmp_path):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "jwt-public.pem"
    path.write_bytes(public_pem)
    return private, public_pem, path


@pytest.fixture
async def rs256_client(settings, rsa_keys):
    """An app configured for RS256. `me` needs no database, so its lifespan is not run (running
    it would re-initialise and then close the session's Tortoise connections)."""
    _, _, path = rsa_keys
    rs_settings = Settings(DATABASE_URL=settings.database_url, SIJILL_JWT_PUBLIC_KEY_FILE=str(path))
    assert rs_settings.jwt_public_key_file == path
    app = create_app(rs_settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sijill.test") as client:

        async def post(token: str) -> httpx.Response:
            return await client.post("/graphql", json={"query": ME},
                                     headers={"Authorization": f"Bearer {token}"})

        yield post


async def test_rs256_server_accepts_a_token_of_its_private_key(rs256_client, settings, rsa_keys):
    private, _, _ = rsa_keys
    token = jwt.encode(claims(settings, sub="partner-42", roles=["auditor"]), private,
                       algorithm="RS256")
    response = await rs256_client(token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    assert body["data"]["me"]["subject"] == "partner-42"
    assert body["data"]["me"]["roles"] == ["auditor"]


async def test_rs256_server_refuses_hs256_tokens(rs256_client, settings, rsa_keys):
    _, public_pem, _ = rsa_keys
    # a token signed with the development secret the server would accept in HS256 mode
    assert_unauthenticated(await rs256_client(hs256(settings)))
    # the classic key-confusion attack: HS256 with the public key PEM as the HMAC secret
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(settings)).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
    assert_unauthenticated(await rs256_client(f"{header}.{payload}.{signature}"))


async def test_rs256_server_refuses_tokens_of_another_key_and_alg_none(rs256_client, settings):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(settings), other, algorithm="RS256")
    assert_unauthenticated(await rs256_client(token))
    other_ec = ec.generate_private_key(ec.SECP256R1())
    assert_unauthenticated(await rs256_client(jwt.encode(claims(settings), other_ec,
                                                         algorithm="ES256")))
    header = b64(json.dumps({"alg": "none"}).encode())
    payload = b64(json.dumps(claims(settings)).encode())
    assert_unauthenticated(await rs256_client(f"{header}.{payload}."))


async def test_rs256_server_still_checks_claims(rs256_client, settings, rsa_keys):
    private, _, _ = rsa_keys
    now = int(time.time())
    for overrides in ({"aud": "other"}, {"iss": "other"}, {"exp": now - 3600},
                      {"roles": ["wizard"]}):
        token = jwt.encode(claims(settings, **overrides), private, algorithm="RS256")
        assert_unauthenticated(await rs256_client(token))


# ---------------------------------------------------------------- `sijill token`


def test_cli_token_for_a_program_agency(capsys):
    assert cli.main(["token", "--role", "program_agency", "--program", "ASD"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0 and out.count(".") == 2
    s = get_settings()
    decoded = jwt.decode(out, s.jwt_secret, algorithms=["HS256"], audience=s.jwt_audience,
                         issuer=s.jwt_issuer, options={"require": ["exp", "iat", "sub"]})
    assert decoded["roles"] == ["program_agency"]
    assert decoded["program"] == "ASD"
    assert decoded["sub"] == "dev-program_agency"
    assert decoded["iss"] == "sijill-dev" == s.jwt_issuer
    assert decoded["aud"] == "sijill" == s.jwt_audience
    assert decoded["exp"] - decoded["iat"] == 3600
    assert abs(decoded["iat"] - time.time()) < 60
    assert "provinces" not in decoded
    assert jwt.get_unverified_header(out)["alg"] == "HS256"


def test_cli_token_with_provinces_sub_and_ttl(capsys):
    code = cli.main(["token", "--role", "registrar", "--province", "038", "--province", "001",
                     "--sub", "agent-9", "--ttl", "120", "--purpose", "field visit"])
    assert code == 0
    out = capsys.readouterr().out.strip()
    decoded = jwt.decode(out, get_settings().jwt_secret, algorithms=["HS256"], audience="sijill")
    assert decoded["roles"] == ["registrar"]
    assert decoded["provinces"] == ["038", "001"]
    assert decoded["sub"] == "agent-9"
    assert decoded["purpose"] == "field visit"
    assert decoded["exp"] - decoded["iat"] == 120


async def test_cli_token_is_accepted_by_the_server(gql, capsys):
    assert cli.main(["token", "--role", "program_agency", "--program", "ASD"]) == 0
    token = capsys.readouterr().out.strip()
    me = await assert_me_ok(gql, token, "dev-program_agency")
    assert me["program"] == "ASD"


def test_cli_citizen_token_needs_sub(capsys):
    assert cli.main(["token", "--role", "citizen"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--sub" in captured.err


def test_cli_refuses_program_agency_without_program(capsys):
    assert cli.main(["token", "--role", "program_agency"]) == 2
    assert capsys.readouterr().out == ""


def test_cli_refuses_an_unknown_role(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["token", "--role", "superuser"])
    assert exc.value.code == 2
    assert capsys.readouterr().out == ""
