"""memberInvite: mails a link with a token; validates the role; one pending invitation per email."""

from __future__ import annotations

from orm.models import Invitation
from tests.organizations.helpers import accept, invite
from tests.support.factories import unique_email
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.mail import mails, token_in
from tests.support.operations import MEMBER_INVITE, PENDING_INVITATIONS


def _input(organization_id: str, email: str, role: str = "member") -> dict:
    return {"input": {"organizationId": organization_id, "email": email, "role": role}}


async def test_invitation_mail_carries_the_token(gql, make):
    # given
    admin = await make.account(name="Ada Admin")
    tenant = await make.tenant("Mailing Org", owner=admin)
    email = unique_email("invitee")

    # when
    payload = await gql.payload(
        MEMBER_INVITE, _input(tenant.organization_id, email, "billing"), token=admin.token
    )

    # then
    assert payload["errors"] == []
    assert payload["invitation"]["email"] == email
    assert payload["invitation"]["role"] == {"key": "billing"}
    assert payload["invitation"]["acceptedAt"] is None
    mail = (await mails(email, "invitation"))[-1]
    token = token_in(mail)
    assert f"https://dashboard.test/invitations/accept?token={token}" in mail.text_body
    assert "Ada Admin" in mail.subject and "Mailing Org" in mail.subject
    invitation = await Invitation.get(id=uuid_of(payload["invitation"]["id"]))
    assert invitation.token_hash != token
    assert token not in invitation.token_hash


async def test_pending_invitations_are_listed(gql, make):
    # given
    tenant = await make.tenant("Listing Org")
    first, second = unique_email("first"), unique_email("second")
    await invite(gql, tenant, first, "member")
    await invite(gql, tenant, second, "org_admin")

    # when
    data = await gql.data(PENDING_INVITATIONS, {"id": tenant.organization_id}, token=tenant.token)

    # then
    assert data["organization"]["invitations"] == [
        {"email": second, "role": {"key": "org_admin"}},
        {"email": first, "role": {"key": "member"}},
    ]


async def test_invalid_role(gql, make):
    # given
    tenant = await make.tenant("Roles Org")

    for role in ("nope", "platform_admin"):
        email = unique_email("bad-role")

        # when
        payload = await gql.payload(
            MEMBER_INVITE, _input(tenant.organization_id, email, role), token=tenant.token
        )

        # then
        assert payload["invitation"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("role", "INVALID_ROLE")]
        assert not await Invitation.exists(email=email)


async def test_existing_member_cannot_be_invited(gql, make):
    # given
    tenant = await make.tenant("Full Org")
    member = await make.member(tenant, "member")

    # when
    payload = await gql.payload(
        MEMBER_INVITE, _input(tenant.organization_id, member.email.upper()), token=tenant.token
    )

    # then
    assert payload["invitation"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("email", "ALREADY_MEMBER")]


async def test_newer_invitation_revokes_the_older(gql, make):
    # given
    tenant = await make.tenant("Reinvite Org")
    email = unique_email("twice")
    _, old_token = await invite(gql, tenant, email, "member")
    _, new_token = await invite(gql, tenant, email, "billing")
    invitee = await make.account(email=email)

    # when
    old = await accept(gql, invitee, old_token)
    new = await accept(gql, invitee, new_token)

    # then
    assert old_token != new_token
    assert old["membership"] is None
    assert [e["code"] for e in old["errors"]] == ["INVALID_TOKEN"]
    assert new["errors"] == []
    assert new["membership"]["role"] == {"key": "billing"}
    pending = await gql.data(
        PENDING_INVITATIONS, {"id": tenant.organization_id}, token=tenant.token
    )
    assert pending["organization"]["invitations"] == []


async def test_member_cannot_invite(gql, make):
    # given
    tenant = await make.tenant("No Invites")
    member = await make.member(tenant, "member")
    email = unique_email("by-member")

    # when
    body = await gql.execute(
        MEMBER_INVITE, _input(tenant.organization_id, email), token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await Invitation.exists(email=email)


async def test_stranger_gets_not_found(gql, make):
    # given
    tenant = await make.tenant("Not Yours")
    stranger = await make.account()
    email = unique_email("by-stranger")

    # when
    body = await gql.execute(
        MEMBER_INVITE, _input(tenant.organization_id, email), token=stranger.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert not await Invitation.exists(email=email)
