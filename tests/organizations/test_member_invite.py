"""memberInvite: mails a link with a token; validates the role; one pending invitation per email."""

from __future__ import annotations

from orm.models import Invitation
from tests.conftest import create_organization, sign_up, unique_email
from tests.organizations.helpers import (
    accept,
    add_member,
    error_codes,
    invite,
    last_invitation_mail,
    token_from,
    uuid_of,
)

MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) {
    invitation { id email role { key } acceptedAt revokedAt }
    errors { field message code }
  }
}
"""

PENDING_INVITATIONS = """
query Invitations($id: ID!) {
  organization(id: $id) { invitations { email role { key } } }
}
"""


def _input(organization_id: str, email: str, role: str = "member") -> dict:
    return {"input": {"organizationId": organization_id, "email": email, "role": role}}


async def test_invitation_mail_carries_the_token(gql):
    # given
    admin = await sign_up(gql, name="Ada Admin")
    organization_id = await create_organization(gql, admin, "Mailing Org")
    email = unique_email("invitee")

    # when
    data = await gql.data(
        MEMBER_INVITE, _input(organization_id, email, "billing"), token=admin.token
    )

    # then
    payload = data["memberInvite"]
    assert payload["errors"] == []
    assert payload["invitation"]["email"] == email
    assert payload["invitation"]["role"] == {"key": "billing"}
    assert payload["invitation"]["acceptedAt"] is None
    mail = await last_invitation_mail(email)
    token = token_from(mail)
    assert f"https://dashboard.test/invitations/accept?token={token}" in mail.text_body
    assert "Ada Admin" in mail.subject and "Mailing Org" in mail.subject
    invitation = await Invitation.get(id=uuid_of(payload["invitation"]["id"]))
    assert invitation.token_hash != token
    assert token not in invitation.token_hash


async def test_pending_invitations_are_listed(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Listing Org")
    first, second = unique_email("first"), unique_email("second")
    await invite(gql, admin, organization_id, first, "member")
    await invite(gql, admin, organization_id, second, "org_admin")

    # when
    data = await gql.data(PENDING_INVITATIONS, {"id": organization_id}, token=admin.token)

    # then
    assert data["organization"]["invitations"] == [
        {"email": second, "role": {"key": "org_admin"}},
        {"email": first, "role": {"key": "member"}},
    ]


async def test_invalid_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Roles Org")

    for role in ("nope", "platform_admin"):
        email = unique_email("bad-role")

        # when
        data = await gql.data(
            MEMBER_INVITE, _input(organization_id, email, role), token=admin.token
        )

        # then
        payload = data["memberInvite"]
        assert payload["invitation"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("role", "INVALID_ROLE")]
        assert not await Invitation.exists(email=email)


async def test_existing_member_cannot_be_invited(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Full Org")
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    data = await gql.data(
        MEMBER_INVITE, _input(organization_id, member.email.upper()), token=admin.token
    )

    # then
    payload = data["memberInvite"]
    assert payload["invitation"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("email", "ALREADY_MEMBER")]


async def test_newer_invitation_revokes_the_older(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Reinvite Org")
    email = unique_email("twice")
    _, old_token = await invite(gql, admin, organization_id, email, "member")
    _, new_token = await invite(gql, admin, organization_id, email, "billing")
    invitee = await sign_up(gql, email=email)

    # when
    old = await accept(gql, invitee, old_token)
    new = await accept(gql, invitee, new_token)

    # then
    assert old["membership"] is None
    assert [e["code"] for e in old["errors"]] == ["INVALID_TOKEN"]
    assert new["errors"] == []
    assert new["membership"]["role"] == {"key": "billing"}
    pending = await gql.data(PENDING_INVITATIONS, {"id": organization_id}, token=admin.token)
    assert pending["organization"]["invitations"] == []


async def test_member_cannot_invite(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "No Invites")
    member, _ = await add_member(gql, admin, organization_id, "member")
    email = unique_email("by-member")

    # when
    body = await gql.execute(MEMBER_INVITE, _input(organization_id, email), token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await Invitation.exists(email=email)


async def test_stranger_gets_not_found(gql):
    # given
    admin = await sign_up(gql)
    stranger = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Not Yours")
    email = unique_email("by-stranger")

    # when
    body = await gql.execute(MEMBER_INVITE, _input(organization_id, email), token=stranger.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert not await Invitation.exists(email=email)
