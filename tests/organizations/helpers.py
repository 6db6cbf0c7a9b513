"""Shared steps for the organization, RBAC, invitation, API key and tenancy tests.

Each helper goes through the public API where one exists (invite, accept, create
keys and agents); only what the API cannot do (making a platform admin,
deactivating an organization, reading the mailed token) touches the database.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from graphql_api import ids
from orm.models import EmailOutbox, Organization, User
from tests.conftest import Account, GraphQLClient, sign_up, unique_email

MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) {
    invitation { id email role { key } }
    errors { field message code }
  }
}
"""

INVITATION_ACCEPT = """
mutation InvitationAccept($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) {
    membership { id role { key } organization { id } user { email } }
    errors { field message code }
  }
}
"""

ORGANIZATION_MEMBERS = """
query OrganizationMembers($id: ID!) {
  organization(id: $id) {
    members { id user { email } role { key } }
  }
}
"""

API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) {
    apiKey { id name prefix role { key } }
    key
    errors { field message code }
  }
}
"""

AGENT_CREATE = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) {
    agent { id name }
    errors { field message code }
  }
}
"""

ROLE_CREATE = """
mutation RoleCreate($input: RoleCreateInput!) {
  roleCreate(input: $input) {
    role { id key name isBuiltin permissions }
    errors { field message code }
  }
}
"""

_TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")


def uuid_of(global_id: str) -> uuid.UUID:
    """The database id inside a global id."""
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[1]


def fake_global_id(type_name: str) -> str:
    """A well-formed global id of an object that does not exist."""
    return base64.b64encode(f"{type_name}:{uuid.uuid4()}".encode()).decode()


def error_codes(body: dict[str, Any]) -> list[str]:
    """The `extensions.code` of every top-level error."""
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def last_invitation_mail(email: str) -> EmailOutbox:
    mail = (
        await EmailOutbox.filter(to_address=email, template="invitation")
        .order_by("-created_at")
        .first()
    )
    assert mail is not None, f"no invitation mail to {email}"
    return mail


def token_from(mail: EmailOutbox) -> str:
    match = _TOKEN_IN_LINK.search(mail.text_body)
    assert match, mail.text_body
    return match.group(1)


async def invite(
    gql: GraphQLClient, admin: Account, organization_id: str, email: str, role: str = "member"
) -> tuple[str, str]:
    """Invite `email`; returns (invitation id, the token from the mailed link)."""
    data = await gql.data(
        MEMBER_INVITE,
        {"input": {"organizationId": organization_id, "email": email, "role": role}},
        token=admin.token,
    )
    payload = data["memberInvite"]
    assert payload["errors"] == [], payload
    return payload["invitation"]["id"], token_from(await last_invitation_mail(email))


async def accept(gql: GraphQLClient, account: Account, token: str) -> dict[str, Any]:
    data = await gql.data(INVITATION_ACCEPT, {"input": {"token": token}}, token=account.token)
    return data["invitationAccept"]


async def add_member(
    gql: GraphQLClient, admin: Account, organization_id: str, role: str = "member"
) -> tuple[Account, str]:
    """A new user who joined through an invitation; returns (account, membership id)."""
    email = unique_email(role.replace("_", "-"))
    _, token = await invite(gql, admin, organization_id, email, role)
    account = await sign_up(gql, email=email)
    payload = await accept(gql, account, token)
    assert payload["errors"] == [], payload
    return account, payload["membership"]["id"]


async def membership_id_of(
    gql: GraphQLClient, viewer: Account, organization_id: str, email: str
) -> str:
    data = await gql.data(ORGANIZATION_MEMBERS, {"id": organization_id}, token=viewer.token)
    for membership in data["organization"]["members"]:
        if membership["user"]["email"] == email:
            return membership["id"]
    raise AssertionError(f"{email} is not a member")


async def create_api_key(
    gql: GraphQLClient, admin: Account, organization_id: str, role: str = "member"
) -> tuple[str, str]:
    """Returns (api key id, plain key)."""
    data = await gql.data(
        API_KEY_CREATE,
        {"input": {"organizationId": organization_id, "name": "Server key", "role": role}},
        token=admin.token,
    )
    payload = data["apiKeyCreate"]
    assert payload["errors"] == [], payload
    return payload["apiKey"]["id"], payload["key"]


async def create_agent(
    gql: GraphQLClient, token: str, organization_id: str, name: str = "Receptionist"
) -> str:
    data = await gql.data(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": organization_id,
                "name": name,
                "systemPrompt": "You answer the phone politely.",
            }
        },
        token=token,
    )
    payload = data["agentCreate"]
    assert payload["errors"] == [], payload
    return payload["agent"]["id"]


async def make_platform_admin(account: Account) -> None:
    await User.filter(id=uuid_of(account.user_id)).update(is_platform_admin=True)


async def deactivate_organization(organization_id: str) -> None:
    await Organization.filter(id=uuid_of(organization_id)).update(is_active=False)


async def create_custom_role(gql: GraphQLClient, permissions: list[str]) -> str:
    """A custom role made by a fresh platform admin; returns its key."""
    platform_admin = await sign_up(gql)
    await make_platform_admin(platform_admin)
    key = f"custom_{uuid.uuid4().hex[:12]}"
    data = await gql.data(
        ROLE_CREATE,
        {"input": {"key": key, "name": "Custom", "permissions": permissions}},
        token=platform_admin.token,
    )
    assert data["roleCreate"]["errors"] == [], data
    return key
