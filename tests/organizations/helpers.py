"""Steps of the organization suites: the invitation round trip, and an owner's membership.

An invitation goes through the API (memberInvite, then the token of the mailed link); a
member who merely needs to be there comes from `make.member`.
"""

from __future__ import annotations

import re
from typing import Any

from orm.models import EmailOutbox, Membership
from tests.support.factories import Account, Tenant
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.operations import INVITATION_ACCEPT, MEMBER_INVITE

_TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")


async def last_invitation_mail(email: str) -> EmailOutbox:
    mail = (
        await EmailOutbox.filter(to_address=email, template="invitation")
        .order_by("-created_at")
        .first()
    )
    assert mail is not None, f"no invitation mail to {email}"
    return mail


def token_from(mail: EmailOutbox) -> str:
    """The token in the mail's link."""
    match = _TOKEN_IN_LINK.search(mail.text_body)
    assert match, mail.text_body
    return match.group(1)


async def invite(
    gql: GraphQLClient, tenant: Tenant, email: str, role: str = "member"
) -> tuple[str, str]:
    """The owner invites `email`; returns (invitation id, the token from the mailed link)."""
    payload = await gql.ok(
        MEMBER_INVITE,
        {"input": {"organizationId": tenant.organization_id, "email": email, "role": role}},
        token=tenant.token,
    )
    return payload["invitation"]["id"], token_from(await last_invitation_mail(email))


async def accept(gql: GraphQLClient, account: Account, token: str) -> dict[str, Any]:
    """The invitationAccept payload."""
    return await gql.payload(INVITATION_ACCEPT, {"input": {"token": token}}, token=account.token)


async def owner_membership_id(tenant: Tenant) -> str:
    """The global id of the owner's (org_admin) membership."""
    membership = await Membership.get(
        user_id=tenant.owner.uuid, organization_id=tenant.organization_uuid
    )
    return global_id("Membership", membership.id)
