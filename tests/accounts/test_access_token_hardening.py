"""Access tokens: only our own HS256 tokens, for us, in time, of the right type, live session."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest

from core.services import sessions
from tests.support.factories import unique_email
from tests.support.graphql import error_codes

ME_EMAIL = "query MeEmail { me { id email } }"


async def _claims_for_new_user(make, email: str | None = None) -> dict[str, Any]:
    """Correct claims for a new user's real session."""
    account = await make.account(email=email)
    now = int(time.time())
    return {
        "sub": str(account.uuid),
        "sid": str(account.session_id),
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


async def test_a_hand_made_token_with_the_right_claims_is_accepted(gql, make, settings):
    # given: proves the refused tokens below fail for the one thing each changes
    email = unique_email("jwt")
    claims = await _claims_for_new_user(make, email)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings))

    # then
    assert "errors" not in body, body
    assert body["data"]["me"]["email"] == email


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
async def test_a_token_with_bad_claims_is_refused(gql, make, settings, change):
    # given
    claims = {**await _claims_for_new_user(make), **change}

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings))

    # then
    assert body["data"] == {"me": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_an_unsigned_alg_none_token_is_refused(gql, make, settings):
    # given
    claims = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience}
    claims |= await _claims_for_new_user(make)
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    # when
    body = await gql.execute(ME_EMAIL, token=token)

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_an_hs512_token_with_the_right_secret_is_refused(gql, make, settings):
    # given
    claims = await _claims_for_new_user(make)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings, alg="HS512"))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_token_signed_with_another_secret_is_refused(gql, make, settings):
    # given
    claims = await _claims_for_new_user(make)
    other_secret = "another-secret-of-plenty-of-characters-0123456789"

    # when
    body = await gql.execute(ME_EMAIL, token=_encode(claims, settings, secret=other_secret))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_tampered_payload_is_refused(gql, make, settings):
    # given: a genuine token of one user, its payload swapped for another user's claims
    victim_claims = await _claims_for_new_user(make)
    attacker = await make.account()
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


async def test_a_session_of_another_user_is_refused(gql, make, settings):
    # given: a validly signed token pairing one user with another user's session
    first = await _claims_for_new_user(make)
    second = await _claims_for_new_user(make)

    # when
    body = await gql.execute(ME_EMAIL, token=_encode({**first, "sid": second["sid"]}, settings))

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_well_formed_token_of_a_revoked_session_is_refused(gql, make, settings):
    # given
    claims = await _claims_for_new_user(make)
    token = _encode(claims, settings)
    assert "errors" not in await gql.execute(ME_EMAIL, token=token)
    await sessions.revoke(session_id=uuid.UUID(claims["sid"]), reason="signed_out", bus=None)

    # when
    body = await gql.execute(ME_EMAIL, token=token)

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_garbage_bearer_token_is_refused(gql):
    # when
    body = await gql.execute(ME_EMAIL, token="not.a.jwt")

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
