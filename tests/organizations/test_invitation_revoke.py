"""invitationRevoke: a revoked invitation's link stops working."""

from __future__ import annotations

from orm.models import Invitation
from tests.conftest import create_organization, sign_up, unique_email
from tests.organizations.helpers import accept, add_member, error_codes, invite, uuid_of

INVITATION_REVOKE = """
mutation InvitationRevoke($input: InvitationRevokeInput!) {
  invitationRevoke(input: $input) {
    invitation { id email revokedAt }
    errors { field message code }
  }
}
"""

PENDING_INVITATIONS = """
query Invitations($id: ID!) {
  organization(id: $id) { invitations { email } }
}
"""


async def test_revoked_token_is_unusable(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Revoking")
    email = unique_email("revoked")
    invitation_id, token = await invite(gql, admin, organization_id, email)

    # when
    data = await gql.data(INVITATION_REVOKE, {"input": {"id": invitation_id}}, token=admin.token)

    # then
    payload = data["invitationRevoke"]
    assert payload["errors"] == []
    assert payload["invitation"]["id"] == invitation_id
    assert payload["invitation"]["revokedAt"] is not None
    pending = await gql.data(PENDING_INVITATIONS, {"id": organization_id}, token=admin.token)
    assert pending["organization"]["invitations"] == []
    invitee = await sign_up(gql, email=email)
    accepted = await accept(gql, invitee, token)
    assert accepted["membership"] is None
    assert [e["code"] for e in accepted["errors"]] == ["INVALID_TOKEN"]


async def test_member_cannot_revoke(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Member Revoke")
    member, _ = await add_member(gql, admin, organization_id, "member")
    invitation_id, _ = await invite(gql, admin, organization_id, unique_email("kept"))

    # when
    body = await gql.execute(
        INVITATION_REVOKE, {"input": {"id": invitation_id}}, token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await Invitation.get(id=uuid_of(invitation_id))).revoked_at is None
