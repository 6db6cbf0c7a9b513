"""passwordResetRequest and passwordReset: no account oracle, single use, sessions revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.security.tokens import digest
from orm.models import EmailOutbox, OneTimeToken
from tests.accounts.helpers import me_codes, sign_in, sign_up
from tests.support.factories import PASSWORD, unique_email
from tests.support.mail import mailed_tokens, mails

PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { field message code } }
}
"""

PASSWORD_RESET = """
mutation PasswordReset($input: PasswordResetInput!) {
  passwordReset(input: $input) { ok errors { field message code } }
}
"""

NEW_PASSWORD = "a brand new passphrase 42"
OK = {"ok": True, "errors": []}
INVALID_TOKEN = {
    "ok": False,
    "errors": [
        {
            "field": "token",
            "message": "This link is invalid, used or expired.",
            "code": "INVALID_TOKEN",
        }
    ],
}


async def _request(gql, email: str) -> dict:
    return await gql.payload(PASSWORD_RESET_REQUEST, {"input": {"email": email}})


async def _reset(gql, token: str, new_password: str = NEW_PASSWORD) -> dict:
    return await gql.payload(
        PASSWORD_RESET, {"input": {"token": token, "newPassword": new_password}}
    )


async def _reset_token_for(gql, email: str) -> str:
    assert await _request(gql, email) == OK
    tokens = await mailed_tokens(email, "password_reset")
    assert tokens
    return tokens[-1]


async def test_a_reset_request_for_an_unknown_email_answers_ok_and_mails_nothing(gql):
    # given
    email = unique_email("ghost")

    # when
    payload = await _request(gql, email)

    # then: the request was recorded like any other, but there is nothing to send
    assert payload == OK
    assert await mails(email, "password_reset") == []
    assert await OneTimeToken.filter(user__email=email).count() == 0


async def test_a_reset_request_for_a_known_email_mails_a_link(gql, make, server):
    # given
    account = await make.account(name="Margaret Hamilton")

    # when
    payload = await _request(gql, account.email.upper())

    # then
    assert payload == OK
    [mail] = await mails(account.email, "password_reset")
    assert mail.subject == "Reset your password"
    assert "Hello Margaret Hamilton" in mail.text_body
    assert f"{server.settings.dashboard_url}/reset-password?token=vaot_" in mail.text_body
    # at rest the link is sealed: the row's own body has a placeholder where it goes
    assert "token=" not in (await EmailOutbox.get(id=mail.row.id)).text_body


async def test_a_weak_new_password_is_refused_and_keeps_the_token(gql, make):
    # given
    account = await make.account()
    token = await _reset_token_for(gql, account.email)

    # when
    too_short = await _reset(gql, token, "short")
    the_email = await _reset(gql, token, account.email)

    # then
    for payload in (too_short, the_email):
        assert payload["ok"] is False
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [
            ("newPassword", "WEAK_PASSWORD")
        ]
    assert (await sign_in(gql, account.email, PASSWORD))["errors"] == []
    assert await _reset(gql, token) == OK


async def test_a_reset_changes_the_password_once_and_signs_out_everywhere(gql, make):
    # given
    account = await make.account()
    other = await make.session(account.user)
    token = await _reset_token_for(gql, account.email)

    # when
    first = await _reset(gql, token)
    second = await _reset(gql, token, "yet another passphrase 7")

    # then
    assert first == OK
    assert second == INVALID_TOKEN
    old = await sign_in(gql, account.email, PASSWORD)
    assert [e["code"] for e in old["errors"]] == ["INVALID_CREDENTIALS"]
    new = await sign_in(gql, account.email, NEW_PASSWORD)
    assert new["errors"] == []
    assert await me_codes(gql, account.token) == ["UNAUTHENTICATED"]
    assert await me_codes(gql, other.token) == ["UNAUTHENTICATED"]
    assert await me_codes(gql, new["accessToken"]) == []


async def test_a_new_reset_request_supersedes_the_previous_link(gql, make):
    # given
    account = await make.account()
    old_token = await _reset_token_for(gql, account.email)
    new_token = await _reset_token_for(gql, account.email)

    # when
    with_old = await _reset(gql, old_token)
    with_new = await _reset(gql, new_token)

    # then
    assert old_token != new_token
    assert with_old == INVALID_TOKEN
    assert with_new == OK


async def test_an_expired_or_garbage_reset_token_is_refused(gql, make):
    # given
    account = await make.account()
    token = await _reset_token_for(gql, account.email)
    await OneTimeToken.filter(token_hash=digest(token)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )

    # when
    expired = await _reset(gql, token)
    garbage = await _reset(gql, "vaot_never-issued")

    # then
    assert expired == INVALID_TOKEN
    assert garbage == INVALID_TOKEN
    assert (await sign_in(gql, account.email, PASSWORD))["errors"] == []


async def test_an_email_verification_token_cannot_reset_a_password(gql):
    # given: the token of the verification mail that signing up writes
    account = await sign_up(gql)
    [verification_token] = await mailed_tokens(account.email, "email_verification")

    # when
    payload = await _reset(gql, verification_token)

    # then
    assert payload == INVALID_TOKEN
    assert (await sign_in(gql, account.email, PASSWORD))["errors"] == []
