"""A mail's sealed link is blanked as soon as its token can no longer be used: spent, replaced
by a newer link, or withdrawn, whether or not the mail was sent yet."""

from __future__ import annotations

from orm.models import EmailOutbox
from tests.organizations.helpers import accept, invite
from tests.support.factories import unique_email
from tests.support.mail import mailed_tokens, mails

PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { code } }
}
"""
PASSWORD_RESET = """
mutation PasswordReset($input: PasswordResetInput!) {
  passwordReset(input: $input) { ok errors { code } }
}
"""
EMAIL_VERIFICATION_REQUEST = "mutation { emailVerificationRequest { ok errors { code } } }"
INVITATION_REVOKE = """
mutation InvitationRevoke($input: InvitationRevokeInput!) {
  invitationRevoke(input: $input) { invitation { id } errors { code } }
}
"""


async def _sealed(email: str, template: str) -> list[str | None]:
    rows = await EmailOutbox.filter(to_address=email, template=template).order_by("created_at")
    return [row.sealed_values for row in rows]


async def test_a_used_reset_link_is_blanked(gql, make):
    # given: the reset mail is put together (its token exists), not sent yet
    account = await make.account()
    await gql.ok(PASSWORD_RESET_REQUEST, {"input": {"email": account.email}})
    [token] = await mailed_tokens(account.email, "password_reset")
    assert await _sealed(account.email, "password_reset") != [None]

    # when
    reset = await gql.ok(
        PASSWORD_RESET, {"input": {"token": token, "newPassword": "another long passphrase"}}
    )

    # then
    assert reset["ok"] is True
    assert await _sealed(account.email, "password_reset") == [None]


async def test_a_replaced_verification_link_is_blanked(gql, make):
    # given
    account = await make.account()
    await gql.ok(EMAIL_VERIFICATION_REQUEST, token=account.token)
    [first_token] = await mailed_tokens(account.email, "email_verification")

    # when: a newer link replaces it
    await gql.ok(EMAIL_VERIFICATION_REQUEST, token=account.token)
    tokens_now = await mailed_tokens(account.email, "email_verification")

    # then: only the newer mail still carries a link
    first, second = await _sealed(account.email, "email_verification")
    assert first is None and second is not None
    assert len(tokens_now) == 1 and tokens_now[0] != first_token
    assert len(await mails(account.email, "email_verification")) == 1


async def test_an_accepted_invitation_link_is_blanked(gql, make):
    # given
    tenant = await make.tenant("Blanking Org")
    invitee = await make.account(email=unique_email("joiner"))
    _, token = await invite(gql, tenant, invitee.email)

    # when
    accepted = await accept(gql, invitee, token)

    # then
    assert accepted["errors"] == []
    assert await _sealed(invitee.email, "invitation") == [None]


async def test_a_revoked_invitation_link_is_blanked(gql, make):
    # given
    tenant = await make.tenant("Revoking Org")
    email = unique_email("withdrawn")
    invitation_id, _ = await invite(gql, tenant, email)

    # when
    await gql.ok(INVITATION_REVOKE, {"input": {"id": invitation_id}}, token=tenant.token)

    # then
    assert await _sealed(email, "invitation") == [None]
