"""Access tokens: only our own HS256 tokens, for us, in time, of the right type, live session."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest

from orm.models import AuthSession
from tests.accounts.helpers import ME_EMAIL, error_codes, user_uuid
from tests.conftest import sign_up, unique_email


async def _claims_for_new_user(gql) -> dict[str, Any]:
    """Correct claims for a fresh user's real session (read from auth_sessions)."""
    account = await sign_up(gql, unique_email("jwt"))
    session = await AuthSession.get(user_id=user_uuid(account))
    now = int(time.time())
    return {
        "sub": str(user_uuid(account)),
        "sid": str(session.id),
        "typ": "access",
        "iat": now,
        "exp": now + 300,
        "jti": "hand-made",
    }


def _encode(claims: dict[str, Any], settings, *, secret: str | None = None, alg: str = "HS256"):
    full = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, **claims}
    full = {key: value for key, value in full.items() if value is not None}
    return jwt.encode(full, secret or settings.jwt_secret.get_secret_value(), algorithm=alg)


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_a_hand_made_token_with_the_right_claims_is_accepted(gql, settings):
    # given: proves the refused tokens below fail for the one thing each changes
    claims = await _claims_for_new_user(gql)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings))

    # then
    assert "errors" not in body, body
    assert body["data"]["me"]["email"].startswith("jwt-")


BAD_CLAIMS = {
    "wrong audience": {"aud": "someone-else"},
    "wrong issuer": {"iss": "evil-issuer"},
    "expired": {"exp": int(time.time()) - 60, "iat": int(time.time()) - 1000},
    "missing sid": {"sid": None},
    "missing typ": {"typ": None},
    "missing exp": {"exp": None},
    "missing sub": {"sub": None},
    "refresh typ": {"typ": "refresh"},
}


@pytest.mark.parametrize("change", BAD_CLAIMS.values(), ids=list(BAD_CLAIMS))
async def test_a_token_with_bad_claims_is_refused(gql, settings, change):
    # given
    claims = {**await _claims_for_new_user(gql), **change}

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings))

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_an_unsigned_alg_none_token_is_refused(gql, settings):
    # given
    claims = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience}
    claims |= await _claims_for_new_user(gql)
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    # when
    body = await gql.execute(ME_EMAIL, token=token)

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_an_hs512_token_with_the_right_secret_is_refused(gql, settings):
    # given
    claims = await _claims_for_new_user(gql)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings, alg="HS512"))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_token_signed_with_another_secret_is_refused(gql, settings):
    # given
    claims = await _claims_for_new_user(gql)
    other_secret = "another-secret-of-plenty-of-characters-0123456789"

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings, secret=other_secret))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_tampered_payload_is_refused(gql, settings):
    # given: a genuine token of one user, its payload swapped for another user's claims
    victim_claims = await _claims_for_new_user(gql)
    attacker = await sign_up(gql, unique_email("attacker"))
    header, _, signature = attacker.token.split(".")
    genuine = jwt.decode(attacker.token, options={"verify_signature": False})
    tampered_claims = {**genuine, "sub": victim_claims["sub"], "sid": victim_claims["sid"]}
    tampered = f"{header}.{_b64(tampered_claims)}.{signature}"
    assert await gql.execute(ME_EMAIL, token=attacker.token) == {
        "data": {"me": {"id": attacker.user_id, "email": attacker.email}}
    }

    # when
    body = await gql.execute(ME_EMAIL, token=tampered)

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_session_of_another_user_is_refused(gql, settings):
    # given: a validly signed token pairing one user with another user's session
    first = await _claims_for_new_user(gql)
    second = await _claims_for_new_user(gql)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode({**first, "sid": second["sid"]}, settings))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_well_formed_token_of_a_revoked_session_is_refused(gql, settings):
    # given
    claims = await _claims_for_new_user(gql)
    token = _encode(claims, settings)
    assert "errors" not in await gql.execute(ME_EMAIL, token=token)
    await AuthSession.filter(id=claims["sid"]).update(
        revoked_at=datetime.now(UTC), revoked_reason="test"
    )

    # when
    body = await gql.execute(ME_EMAIL, token=token)

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_garbage_bearer_token_is_refused(gql):
    # when
    body = await gql.execute(ME_EMAIL, token="not.a.jwt")

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
