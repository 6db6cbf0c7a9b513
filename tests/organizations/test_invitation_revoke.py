"""invitationRevoke: a revoked invitation's link stops working."""

from __future__ import annotations

from orm.models import Invitation
from tests.organizations.helpers import accept, invite
from tests.support.factories import unique_email
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.operations import PENDING_INVITATIONS

INVITATION_REVOKE = """
mutation InvitationRevoke($input: InvitationRevokeInput!) {
  invitationRevoke(input: $input) {
    invitation { id email revokedAt }
    errors { field message code }
  }
}
"""


async def test_revoked_token_is_unusable(gql, make):
    # given
    tenant = await make.tenant("Revoking")
    email = unique_email("revoked")
    invitation_id, token = await invite(gql, tenant, email)

    # when
    payload = await gql.payload(
        INVITATION_REVOKE, {"input": {"id": invitation_id}}, token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["invitation"]["id"] == invitation_id
    assert payload["invitation"]["revokedAt"] is not None
    pending = await gql.data(
        PENDING_INVITATIONS, {"id": tenant.organization_id}, token=tenant.token
    )
    assert pending["organization"]["invitations"] == []
    invitee = await make.account(email=email)
    accepted = await accept(gql, invitee, token)
    assert accepted["membership"] is None
    assert [e["code"] for e in accepted["errors"]] == ["INVALID_TOKEN"]


async def test_member_cannot_revoke(gql, make):
    # given
    tenant = await make.tenant("Member Revoke")
    member = await make.member(tenant, "member")
    invitation_id, _ = await invite(gql, tenant, unique_email("kept"))

    # when
    body = await gql.execute(
        INVITATION_REVOKE, {"input": {"id": invitation_id}}, token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await Invitation.get(id=uuid_of(invitation_id))).revoked_at is None
