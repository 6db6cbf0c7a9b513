"""Steps of the organization suites: the invitation round trip, and an owner's membership.

An invitation goes through the API (memberInvite, then the token of the mailed link); a
member who merely needs to be there comes from `make.member`.
"""

from __future__ import annotations

from typing import Any

from orm.models import Membership
from tests.support.factories import Account, Tenant
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.mail import last_mailed_token
from tests.support.operations import INVITATION_ACCEPT, MEMBER_INVITE


async def invite(
    gql: GraphQLClient, tenant: Tenant, email: str, role: str = "member"
) -> tuple[str, str]:
    """The owner invites `email`; returns (invitation id, the token from the mailed link)."""
    payload = await gql.ok(
        MEMBER_INVITE,
        {"input": {"organizationId": tenant.organization_id, "email": email, "role": role}},
        token=tenant.token,
    )
    return payload["invitation"]["id"], await last_mailed_token(email, "invitation")


async def accept(gql: GraphQLClient, account: Account, token: str) -> dict[str, Any]:
    """The invitationAccept payload."""
    return await gql.payload(INVITATION_ACCEPT, {"input": {"token": token}}, token=account.token)


async def owner_membership_id(tenant: Tenant) -> str:
    """The global id of the owner's (org_admin) membership."""
    membership = await Membership.get(
        user_id=tenant.owner.uuid, organization_id=tenant.organization_uuid
    )
    return global_id("Membership", membership.id)
