"""The verification mail, emailVerify and emailVerificationRequest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.security.tokens import digest
from orm.models import OneTimeToken, User
from tests.accounts.helpers import sign_up
from tests.support.factories import unique_email
from tests.support.graphql import error_codes
from tests.support.mail import mailed_tokens, mails
from tests.support.operations import ME

EMAIL_VERIFY = """
mutation EmailVerify($input: EmailVerifyInput!) {
  emailVerify(input: $input) {
    user { id email emailVerified emailVerifiedAt }
    errors { field message code }
  }
}
"""

EMAIL_VERIFICATION_REQUEST = """
mutation EmailVerificationRequest {
  emailVerificationRequest { ok errors { field message code } }
}
"""

INVALID_TOKEN = [
    {"field": "token", "message": "This link is invalid, used or expired.", "code": "INVALID_TOKEN"}
]


async def _verify(gql, token: str) -> dict:
    return await gql.payload(EMAIL_VERIFY, {"input": {"token": token}})


async def test_sign_up_writes_a_verification_mail_with_a_link(gql, server):
    # given
    email = unique_email("mail")

    # when
    await sign_up(gql, email, name="Grace Hopper")

    # then
    written = await mails(email, "email_verification")
    assert len(written) == 1
    assert written[0].subject == "Confirm your email address"
    assert "Hello Grace Hopper" in written[0].text_body
    assert f"{server.settings.dashboard_url}/verify-email?token=vaot_" in written[0].text_body
    [token] = await mailed_tokens(email, "email_verification")
    # Only a digest of the mailed token is stored.
    row = await OneTimeToken.get(token_hash=digest(token))
    assert row.purpose == "email_verification"
    assert await OneTimeToken.filter(token_hash=token).count() == 0


async def test_email_verify_marks_the_email_verified_once(gql):
    # given
    account = await sign_up(gql)
    [token] = await mailed_tokens(account.email, "email_verification")

    # when
    first = await _verify(gql, token)
    second = await _verify(gql, token)

    # then
    assert first["errors"] == []
    assert first["user"]["id"] == account.user_id
    assert first["user"]["emailVerified"] is True
    assert first["user"]["emailVerifiedAt"] is not None
    me = await gql.data(ME, token=account.token)
    assert me["me"]["emailVerified"] is True
    assert second == {"user": None, "errors": INVALID_TOKEN}


async def test_email_verify_refuses_a_garbage_token(gql):
    # when
    payload = await _verify(gql, "vaot_this-token-was-never-issued")

    # then
    assert payload == {"user": None, "errors": INVALID_TOKEN}


async def test_email_verify_refuses_an_expired_token(gql):
    # given
    account = await sign_up(gql)
    [token] = await mailed_tokens(account.email, "email_verification")
    await OneTimeToken.filter(token_hash=digest(token)).update(
        expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )

    # when
    payload = await _verify(gql, token)

    # then
    assert payload == {"user": None, "errors": INVALID_TOKEN}
    assert (await User.get(id=account.uuid)).email_verified_at is None


async def test_verification_request_on_a_verified_user_says_already_verified(gql, make):
    # given
    account = await make.account(verified=True)

    # when
    payload = await gql.payload(EMAIL_VERIFICATION_REQUEST, token=account.token)

    # then
    assert payload == {
        "ok": False,
        "errors": [
            {
                "field": None,
                "message": "Your email address is already verified.",
                "code": "ALREADY_VERIFIED",
            }
        ],
    }
    assert await mails(account.email, "email_verification") == []


async def test_verification_request_supersedes_the_previous_link(gql):
    # given
    account = await sign_up(gql)
    [old_token] = await mailed_tokens(account.email, "email_verification")

    # when
    payload = await gql.payload(EMAIL_VERIFICATION_REQUEST, token=account.token)

    # then: only the new mail still carries a link
    assert payload == {"ok": True, "errors": []}
    [new_token] = await mailed_tokens(account.email, "email_verification")
    assert new_token != old_token
    assert await _verify(gql, old_token) == {"user": None, "errors": INVALID_TOKEN}
    assert (await _verify(gql, new_token))["user"]["emailVerified"] is True


async def test_verification_request_needs_a_signed_in_user(gql):
    # when
    body = await gql.execute(EMAIL_VERIFICATION_REQUEST)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
