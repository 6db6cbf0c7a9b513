"""Nobody can flood an inbox through us: every mail a stranger can cause (password reset,
verification, sign-up notice, invitation) has a per-recipient limit (MAIL_MAX_PER_RECIPIENT
per MAIL_RECIPIENT_WINDOW_SECONDS)."""

from __future__ import annotations

from orm.models import EmailOutbox
from tests.support.factories import PASSWORD, unique_email
from tests.support.graphql import payload_codes
from tests.support.operations import MEMBER_INVITE

REQUESTS = 20
# The default per-recipient limit, per template (the suite does not change it).
LIMIT = 5

PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { field message code } }
}
"""

EMAIL_VERIFICATION_REQUEST = """
mutation EmailVerificationRequest {
  emailVerificationRequest { ok errors { field message code } }
}
"""

SIGN_UP_ERRORS = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { errors { field message code } }
}
"""


async def _queued(email: str, template: str) -> int:
    return await EmailOutbox.filter(to_address=email, template=template).count()


async def test_twenty_reset_requests_queue_at_most_the_limit(gql, make, settings):
    # given
    account = await make.account()

    # when
    answers = [
        await gql.payload(PASSWORD_RESET_REQUEST, {"input": {"email": account.email}})
        for _ in range(REQUESTS)
    ]

    # then: the same answer every time, but no more mails than the limit
    assert 1 <= await _queued(account.email, "password_reset") <= LIMIT
    assert all(answer == {"ok": True, "errors": []} for answer in answers)
    assert settings.mail_max_per_recipient == LIMIT


async def test_twenty_verification_requests_queue_at_most_the_limit(gql, make):
    # given: someone signed up with another person's address, and asks for mail again and again
    account = await make.account()

    # when
    answers = [
        await gql.payload(EMAIL_VERIFICATION_REQUEST, token=account.token) for _ in range(REQUESTS)
    ]

    # then
    assert 1 <= await _queued(account.email, "email_verification") <= LIMIT
    assert payload_codes(answers[-1]) == ["TOO_MANY_ATTEMPTS"]
    assert answers[0] == {"ok": True, "errors": []}


async def test_twenty_sign_ups_with_a_taken_address_mail_its_owner_at_most_the_limit(gql, make):
    # given
    owner = await make.account()

    # when
    for _ in range(REQUESTS):
        await gql.execute(
            SIGN_UP_ERRORS,
            {"input": {"email": owner.email, "password": PASSWORD, "fullName": "Mallory"}},
        )

    # then
    assert 1 <= await _queued(owner.email, "sign_up_notice") <= LIMIT


async def test_twenty_invitations_to_one_address_mail_it_at_most_the_limit(gql, make):
    # given
    tenant = await make.tenant("Inviting Org")
    email = unique_email("invitee")

    # when
    answers = [
        await gql.payload(
            MEMBER_INVITE,
            {"input": {"organizationId": tenant.organization_id, "email": email, "role": "member"}},
            token=tenant.token,
        )
        for _ in range(REQUESTS)
    ]

    # then: the admin is told, and the refused invitations changed nothing
    assert 1 <= await _queued(email, "invitation") <= LIMIT
    assert payload_codes(answers[-1]) == ["TOO_MANY_MAILS"]
    assert answers[-1]["invitation"] is None
    assert answers[0]["errors"] == []
