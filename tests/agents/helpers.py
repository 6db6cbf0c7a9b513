"""Operations and small helpers shared by the agent tests."""

from __future__ import annotations

import re
from typing import Any

from orm.models import EmailOutbox
from tests.conftest import Account, GraphQLClient, sign_up, unique_email

AGENT_FIELDS = "id name systemPrompt greeting phoneNumber voice language isActive"

AGENT_CREATE = f"""
mutation AgentCreate($input: AgentCreateInput!) {{
  agentCreate(input: $input) {{
    agent {{ {AGENT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_UPDATE = f"""
mutation AgentUpdate($input: AgentUpdateInput!) {{
  agentUpdate(input: $input) {{
    agent {{ {AGENT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_DELETE = """
mutation AgentDelete($input: AgentDeleteInput!) {
  agentDelete(input: $input) {
    agent { id name phoneNumber }
    errors { field message code }
  }
}
"""

AGENT = f"""
query Agent($id: ID!) {{
  agent(id: $id) {{ {AGENT_FIELDS} organization {{ id }} }}
}}
"""

MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) {
    invitation { id }
    errors { field message code }
  }
}
"""

INVITATION_ACCEPT = """
mutation InvitationAccept($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) {
    membership { id role { key } }
    errors { field message code }
  }
}
"""


async def create_agent(
    gql: GraphQLClient, account: Account, organization_id: str, **fields: Any
) -> dict:
    """Create an agent that must succeed; returns the agent."""
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    data = await gql.data(
        AGENT_CREATE,
        {"input": {"organizationId": organization_id, **values}},
        token=account.token,
    )
    payload = data["agentCreate"]
    assert payload["errors"] == [], payload
    return payload["agent"]


async def add_member(
    gql: GraphQLClient, admin: Account, organization_id: str, role: str = "member"
) -> Account:
    """Invite a new user with `role`, and have them sign up and accept."""
    email = unique_email("invitee")
    data = await gql.data(
        MEMBER_INVITE,
        {"input": {"organizationId": organization_id, "email": email, "role": role}},
        token=admin.token,
    )
    assert data["memberInvite"]["errors"] == [], data
    mail = await EmailOutbox.filter(to_address=email, template="invitation").first()
    assert mail is not None
    match = re.search(r"token=(\S+)", mail.text_body)
    assert match is not None, mail.text_body
    invitee = await sign_up(gql, email=email, name="Invited Person")
    accepted = await gql.data(
        INVITATION_ACCEPT, {"input": {"token": match.group(1)}}, token=invitee.token
    )
    assert accepted["invitationAccept"]["errors"] == [], accepted
    assert accepted["invitationAccept"]["membership"]["role"]["key"] == role
    return invitee
