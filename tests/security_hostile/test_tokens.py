"""Forged, stale and revoked credentials: UNAUTHENTICATED (or INVALID_TOKEN), never data.

Each access token is tried on HTTP and on the WebSocket handshake; each family is one
parametrized test. A correctly made token of the same shape works (the control case),
so every refusal is down to the one thing its case changes.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from core.settings import Settings
from tests.support.factories import Account
from tests.support.operations import API_KEY_REVOKE, ME, ORGANIZATIONS, SIGN_OUT, TOKEN_REFRESH
from tests.support.websocket import init_close_code

INVALID_REFRESH = {
    "user": None,
    "accessToken": None,
    "refreshToken": None,
    "errors": [
        {
            "field": "refreshToken",
            "message": "The refresh token is invalid or expired. Sign in again.",
            "code": "INVALID_TOKEN",
        }
    ],
}


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _pem(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _hs256(claims: dict[str, Any], settings: Settings) -> str:
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def _tampered(claims: dict[str, Any], settings: Settings) -> str:
    """A genuine signature over other claims: the payload now names a longer expiry."""
    header, _, signature = _hs256(claims, settings).split(".")
    return f"{header}.{_b64({**claims, 'exp': claims['exp'] + 86_400})}.{signature}"


Forge = Callable[[dict[str, Any], Settings], str]
FORGERIES: dict[str, Forge] = {
    "alg none": lambda claims, _: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
    "alg None, signature kept": lambda claims, settings: (
        f"{_b64({'alg': 'None', 'typ': 'JWT'})}.{_b64(claims)}."
        + _hs256(claims, settings).split(".")[2]
    ),
    "RS256 with an attacker's key": lambda claims, _: jwt.encode(
        claims, _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "RS256"
    ),
    "ES256 with an attacker's key": lambda claims, _: jwt.encode(
        claims, _pem(ec.generate_private_key(ec.SECP256R1())), "ES256"
    ),
    "HS512 with the real secret": lambda claims, settings: jwt.encode(
        claims, settings.jwt_secret.get_secret_value(), algorithm="HS512"
    ),
    "HS256 with another secret": lambda claims, _: jwt.encode(
        claims, "another-secret-of-plenty-of-characters-0123456789", algorithm="HS256"
    ),
    "wrong aud": lambda claims, settings: _hs256({**claims, "aud": "oauth-state"}, settings),
    "wrong iss": lambda claims, settings: _hs256({**claims, "iss": "evil"}, settings),
    "expired": lambda claims, settings: _hs256(
        {**claims, "iat": claims["iat"] - 3600, "exp": claims["iat"] - 60}, settings
    ),
    "tampered payload": _tampered,
}


async def _real_claims(make, settings: Settings) -> tuple[Account, dict[str, Any]]:
    account = await make.account()
    now = int(time.time())
    return account, {
        "sub": str(account.uuid),
        "sid": str(account.session_id),
        "typ": "access",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 300,
        "jti": "hand-made",
    }


async def _refused_everywhere(gql, server, token: str) -> None:
    body = await gql.execute(ME, token=token)
    assert body["data"] == {"me": None}  # `me` is nullable: its error nulls only it
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert await init_close_code(server.ws_url, {"authorization": f"Bearer {token}"}) == 4403


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("forge", FORGERIES.values(), ids=list(FORGERIES))
async def test_a_forged_or_stale_access_token_is_unauthenticated(
    gql, server, make, settings, forge
):
    # given: the claims of a real, live session, which a correctly signed token may use
    account, claims = await _real_claims(make, settings)
    control = _hs256(claims, settings)
    assert (await gql.data(ME, token=control))["me"]["email"] == account.email

    # when / then
    await _refused_everywhere(gql, server, forge(claims, settings))


async def _refresh(gql, refresh_token: str) -> dict[str, Any]:
    data = await gql.data(TOKEN_REFRESH, {"input": {"refreshToken": refresh_token}})
    return data["tokenRefresh"]


async def _signed_out(gql, account: Account) -> tuple[str, list[str]]:
    assert (await gql.data(SIGN_OUT, token=account.token))["signOut"]["ok"] is True
    return account.refresh_token, [account.token]


async def _rotated_then_replayed(gql, account: Account) -> tuple[str, list[str]]:
    second = await _refresh(gql, account.refresh_token)
    newest = await _refresh(gql, second["refreshToken"])
    assert (await gql.data(ME, token=newest["accessToken"]))["me"]["id"] == account.user_id
    # The stolen first token is presented again: the whole family goes, newest included.
    assert await _refresh(gql, account.refresh_token) == INVALID_REFRESH
    return newest["refreshToken"], [newest["accessToken"], second["accessToken"], account.token]


async def _made_up(gql, account: Account) -> tuple[str, list[str]]:
    return "vart_" + account.refresh_token[5:][::-1], []


REFRESH_CASES = {
    "revoked by sign-out": _signed_out,
    "reused after rotation (family revoked)": _rotated_then_replayed,
    "made up": _made_up,
}


@pytest.mark.parametrize("setup", REFRESH_CASES.values(), ids=list(REFRESH_CASES))
async def test_a_dead_refresh_token_gets_invalid_token_and_its_session_is_gone(
    gql, server, make, setup
):
    # given
    account = await make.account()
    refresh_token, dead_access_tokens = await setup(gql, account)

    # when
    payload = await _refresh(gql, refresh_token)

    # then
    assert payload == INVALID_REFRESH
    for token in dead_access_tokens:
        await _refused_everywhere(gql, server, token)


@pytest.mark.parametrize("query", [ME, ORGANIZATIONS], ids=["me", "organizations"])
async def test_an_api_key_after_revocation_is_unauthenticated(gql, server, make, query):
    # given: a working key, then revoked by its organization's admin
    tenant = await make.tenant()
    api_key = await make.api_key(tenant)
    assert "errors" not in await gql.execute(ORGANIZATIONS, token=api_key.key)
    revoked = await gql.ok(API_KEY_REVOKE, {"input": {"id": api_key.id}}, token=tenant.token)
    assert revoked["apiKey"]["revokedAt"] is not None
    key = api_key.key

    # when / then
    body = await gql.execute(query, token=key)
    assert not any((body["data"] or {}).values())  # `me` is nullable, `organizations` not
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert await init_close_code(server.ws_url, {"authorization": f"Bearer {key}"}) == 4403
