"""Two organizations with a row of their own in every tenant table, and the ground truth
of which rows belong to which, read as the owner (who is not under the policies here: the
suite migrates as a superuser)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from orm.models import (
    AgentCustomFunction,
    CallAnalysis,
    CallEvent,
    Invitation,
    OAuthState,
    Role,
    Subscription,
    TokenRevocation,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.row_level_security.tables import tenant_tables
from tests.support.database import asyncpg_url
from tests.support.factories import Factories, Tenant, unique_email


@dataclass
class World:
    a: Tenant
    b: Tenant
    # table -> row id -> the organization it belongs to (None: no organization's)
    rows: dict[str, dict[uuid.UUID, uuid.UUID | None]]

    def ids_of(self, table: str, organization_id: uuid.UUID) -> set[uuid.UUID]:
        return {row for row, owner in self.rows[table].items() if owner == organization_id}


async def populate(make: Factories, tenant: Tenant) -> None:
    """A row of the organization in every tenant table (factories where they exist)."""
    now = datetime.now(UTC)
    organization = tenant.organization
    await make.member(tenant)
    agent = await make.agent(tenant, phone_number=True)
    tool = await make.agent_tool(agent)
    function = await make.custom_function(tenant)
    await AgentCustomFunction.create(organization=organization, agent=agent, function=function)
    call = await make.call(tenant, agent)
    await CallEvent.create(
        call=call, organization=organization, seq=1, type="status_changed", occurred_at=now
    )
    await CallAnalysis.create(call=call, organization=organization, next_attempt_at=now)
    await make.api_key(tenant)
    await make.grant_credits(tenant, 5)
    await Invitation.create(
        organization=organization,
        email=unique_email("invited"),
        role=await Role.get(key="member"),
        token_hash=uuid.uuid4().hex,
        expires_at=now + timedelta(days=1),
    )
    await Subscription.get_or_create(organization=organization)
    await TokenRevocation.create(
        organization=organization,
        provider="google",
        sealed_tokens="sealed",
        sealed_table="agent_tools",
        sealed_row_id=tool.id,
        next_attempt_at=now,
    )
    endpoint = await WebhookEndpoint.create(
        organization=organization,
        url="https://partner.example.com/hooks",
        signing_secret_sealed="sealed",
    )
    await WebhookDelivery.create(
        organization=organization,
        endpoint=endpoint,
        message_id=uuid.uuid4().hex,
        event_type="call.ended",
        body="{}",
        next_attempt_at=now,
    )
    await OAuthState.create(
        nonce_hash=uuid.uuid4().hex,
        agent_tool=tool,
        user=tenant.owner.user,
        code_verifier="verifier",
        expires_at=now + timedelta(minutes=10),
    )


async def build(make: Factories, owner_url: str) -> World:
    a, b = await make.tenant("Alpha"), await make.tenant("Beta")
    for tenant in (a, b):
        await populate(make, tenant)
    owner = await asyncpg.connect(asyncpg_url(owner_url))
    try:
        rows = {
            entry.table: {
                record["id"]: record["organization"]
                for record in await owner.fetch(
                    f"SELECT t.id, {entry.organization_of_row} AS organization "
                    f'FROM "{entry.table}" t'
                )
            }
            for entry in tenant_tables().values()
        }
    finally:
        await owner.close()
    return World(a, b, rows)
