"""An unverified account cannot farm welcome credits: its organizations get them only once the
email is verified, and it may create only UNVERIFIED_MAX_ORGANIZATIONS of them."""

from __future__ import annotations

from orm.models import CreditLedgerEntry, Organization
from tests.support.graphql import payload_codes
from tests.support.ids import uuid_of
from tests.support.mail import last_mailed_token
from tests.support.operations import ORGANIZATION_CREATE

EMAIL_VERIFICATION_REQUEST = """
mutation EmailVerificationRequest {
  emailVerificationRequest { ok errors { field message code } }
}
"""

EMAIL_VERIFY = """
mutation EmailVerify($input: EmailVerifyInput!) {
  emailVerify(input: $input) { user { emailVerified } errors { field message code } }
}
"""


async def _create(gql, token: str, name: str) -> dict:
    return await gql.payload(ORGANIZATION_CREATE, {"input": {"name": name}}, token=token)


async def _balance(organization_id: str) -> int:
    return (await Organization.get(id=uuid_of(organization_id))).credit_balance


async def test_an_unverified_account_gets_no_welcome_credits(gql, make, settings):
    # given
    account = await make.account(verified=False)

    # when
    payload = await _create(gql, account.token, "Unverified Co")

    # then
    assert payload["errors"] == []
    assert await _balance(payload["organization"]["id"]) == 0
    assert settings.welcome_credits > 0


async def test_verifying_the_email_grants_the_welcome_credits_once(gql, make, settings):
    # given: an organization created before the email was verified
    account = await make.account(verified=False)
    created = await _create(gql, account.token, "Later Verified Co")
    organization_id = created["organization"]["id"]
    assert await _balance(organization_id) == 0
    await gql.ok(EMAIL_VERIFICATION_REQUEST, token=account.token)
    token = await last_mailed_token(account.email, "email_verification")

    # when: the address is verified with the mailed link (and the link tried again)
    verified = await gql.payload(EMAIL_VERIFY, {"input": {"token": token}})
    again = await gql.payload(EMAIL_VERIFY, {"input": {"token": token}})

    # then
    assert verified["errors"] == []
    assert payload_codes(again) == ["INVALID_TOKEN"]
    assert await _balance(organization_id) == settings.welcome_credits
    assert await CreditLedgerEntry.filter(organization_id=uuid_of(organization_id)).count() == 1


async def test_a_verified_account_gets_the_welcome_credits_at_once(gql, make, settings):
    # given
    account = await make.account(verified=True)

    # when
    payload = await _create(gql, account.token, "Verified Co")

    # then
    assert await _balance(payload["organization"]["id"]) == settings.welcome_credits


async def test_an_unverified_account_may_create_only_a_few_organizations(gql, make, settings):
    # given
    account = await make.account(verified=False)
    limit = settings.unverified_max_organizations

    # when
    answers = [await _create(gql, account.token, f"Farm {n}") for n in range(limit + 3)]

    # then
    assert all(answer["errors"] == [] for answer in answers[:limit])
    for refused in answers[limit:]:
        assert refused["organization"] is None
        assert payload_codes(refused) == ["EMAIL_NOT_VERIFIED"]
    assert await Organization.filter(memberships__user_id=account.uuid).count() == limit


async def test_a_verified_account_has_no_such_limit(gql, make, settings):
    # given
    account = await make.account(verified=True)

    # when
    answers = [
        await _create(gql, account.token, f"Chain {n}")
        for n in range(settings.unverified_max_organizations + 3)
    ]

    # then
    assert all(answer["errors"] == [] for answer in answers)
