"""Which organizations the work of an entry point may reach in the database.

PostgreSQL enforces it with row-level security (orm/tenancy.py, migration 9): every
statement runs with the scope set here, and a tenant row outside it is invisible and
cannot be written. Each entry point sets the scope of its principal before it touches a
tenant table, and nothing wider:

- a GraphQL operation: the organizations its principal belongs to (an API key: its own;
  a platform admin: every one) (`graphql_api/tenancy.py`);
- a webhook: the organization it resolved from the verified request (the number dialled,
  the call a room or CallSid names, the Stripe customer);
- a worker job: its call's organization;
- a CLI command, and the loops that serve every tenant by nature (the call janitor, the
  mail sender, the credential sweep, the OAuth revoker, the webhook dispatcher, the
  analysis runner) while they find their work: `platform_scope(reason)`; each piece of
  that work (a delivery, an analysis, a call the janitor ends) then runs in its own
  organization's `tenant_scope`;
- work shared by many subscribers (a shared subscription result, a batch of access
  re-checks): the organizations it is about, never the scope of whoever started it (a
  task copies the scope of the context that created it).

Steps that must cross tenants before a scope is known go through the narrow functions
below (PostgreSQL: SECURITY DEFINER functions of migration 9), each returning only what
the step needs, mostly an organization id. SQLite has no row-level security: the same
functions read the tables directly, and the application's own checks keep tenants apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tortoise import connections

from core.access import Principal
from orm import tenancy
from orm.models import (
    AgentTool,
    ApiKey,
    Call,
    Invitation,
    OAuthState,
    Organization,
    PhoneNumber,
    Subscription,
)
from orm.queries import flat_values
from orm.tenancy import NOTHING, Scope

__all__ = [
    "NOTHING",
    "Scope",
    "admit",
    "current",
    "enter",
    "leave",
    "platform_scope",
    "scoped",
    "tenant_scope",
]

current = tenancy.current
scoped = tenancy.scoped
enter = tenancy.enter
leave = tenancy.leave


def tenant_scope(organization_ids: Iterable[uuid.UUID | None]) -> Any:
    """The block reaches these organizations only (None, an org-less call's, is dropped)."""
    return tenancy.scoped(Scope(frozenset(i for i in organization_ids if i is not None)))


def platform_scope(reason: str) -> Any:
    """The block reaches every organization: platform admins, the CLI, and the background
    loops that serve every tenant. `reason` names which (it shows in a debugger and logs)."""
    return tenancy.scoped(Scope(platform=True, reason=reason))


def admit(organization_ids: Iterable[uuid.UUID | None]) -> None:
    """From now on, the current work also reaches these organizations: one its principal has
    just created or joined, or the one a verified webhook names."""
    tenancy.admit(i for i in organization_ids if i is not None)


@contextmanager
def widened(organization_ids: Iterable[uuid.UUID | None]) -> Iterator[None]:
    """The block also reaches these organizations; the scope is as before after it."""
    with tenancy.scoped(current().admitting(i for i in organization_ids if i is not None)):
        yield


def scope_of(principal: Principal) -> Scope:
    """What a principal's work reaches: its memberships' organizations, as they are when it
    runs (an API key: its own; a platform admin: every one; nobody: none). Each call is a
    new unit of work: the memberships are read again (by the database, at no extra trip)."""
    if principal.is_platform_admin:
        return Scope(platform=True, reason="platform admin")
    if principal.api_key is not None:
        return Scope(frozenset({principal.api_key.organization_id}))
    if principal.user is not None:
        return Scope.of_member(principal.user.id)
    return NOTHING


async def scope_of_call(call_id: uuid.UUID) -> Scope:
    """What work about one call reaches: its organization (none for a refused call, which
    has none, or an unknown one)."""
    return Scope(frozenset(_present([await call_organization(call_id)])))


async def scope_of_twilio_call(call_sid: str) -> Scope:
    """What work about the call Twilio names by its CallSid reaches: its organization."""
    return Scope(frozenset(_present([await twilio_call_organization(call_sid)])))


def _present(values: Iterable[uuid.UUID | None]) -> list[uuid.UUID]:
    return [value for value in values if value is not None]


# --- the cross-tenant steps ---------------------------------------------------------------


def _on_postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


async def _definer(sql: str, *arguments: Any) -> list[Any]:
    """The values a SECURITY DEFINER function of migration 9 returns."""
    rows = await connections.get("default").execute_query_dict(sql, list(arguments))
    return [row["value"] for row in rows if row["value"] is not None]


async def _one(sql: str, *arguments: Any) -> uuid.UUID | None:
    values = await _definer(sql, *arguments)
    return values[0] if values else None


async def organizations_created_by(user_id: uuid.UUID) -> list[uuid.UUID]:
    """The organizations a person created (the welcome credits, the unverified limit)."""
    if _on_postgres():
        return await _definer("SELECT app_organizations_created_by($1) AS value", user_id)
    return await flat_values(Organization.filter(created_by_id=user_id), "id")


async def number_holder(e164: str) -> uuid.UUID | None:
    """The organization holding this number (an incoming call to it)."""
    if _on_postgres():
        return await _one("SELECT app_number_holder($1) AS value", e164)
    number = await PhoneNumber.get_or_none(e164=e164, status="active")
    return number.organization_id if number else None


async def clear_released_number(e164: str) -> None:
    """Remove the row of a number its last holder released, whoever that was, so that
    another organization may hold it."""
    if _on_postgres():
        await connections.get("default").execute_query(
            "SELECT app_clear_released_number($1)", [e164]
        )
        return
    await PhoneNumber.filter(e164=e164, status="released").delete()


async def call_organization(call_id: uuid.UUID) -> uuid.UUID | None:
    """The organization of a call a LiveKit room, a job or a signed URL names."""
    if _on_postgres():
        return await _one("SELECT app_call_organization($1) AS value", call_id)
    call = await Call.get_or_none(id=call_id).only("id", "organization_id")
    return call.organization_id if call else None


async def twilio_call_organization(call_sid: str) -> uuid.UUID | None:
    """The organization of the call Twilio names by its CallSid."""
    if _on_postgres():
        return await _one("SELECT app_twilio_call_organization($1) AS value", call_sid)
    call = await Call.get_or_none(twilio_call_sid=call_sid).only("id", "organization_id")
    return call.organization_id if call else None


async def stripe_customer_organization(customer: str) -> uuid.UUID | None:
    """The organization whose Stripe customer this is."""
    if _on_postgres():
        return await _one("SELECT app_stripe_customer_organization($1) AS value", customer)
    organization = await Organization.get_or_none(stripe_customer_id=customer).only("id")
    return organization.id if organization else None


async def stripe_subscription_organization(subscription: str) -> uuid.UUID | None:
    """The organization whose Stripe subscription this is."""
    if _on_postgres():
        return await _one("SELECT app_stripe_subscription_organization($1) AS value", subscription)
    found = await Subscription.get_or_none(stripe_subscription_id=subscription)
    return found.organization_id if found else None


async def api_key_organization(prefix: str) -> uuid.UUID | None:
    """The organization of the API key with this public prefix (its secret is checked
    afterwards, in that organization's scope)."""
    if _on_postgres():
        return await _one("SELECT app_api_key_organization($1) AS value", prefix)
    key = await ApiKey.get_or_none(prefix=prefix)
    return key.organization_id if key else None


async def invitation_organization(token_hash: str) -> uuid.UUID | None:
    """The organization of the invitation whose token has this digest."""
    if _on_postgres():
        return await _one("SELECT app_invitation_organization($1) AS value", token_hash)
    invitation = await Invitation.get_or_none(token_hash=token_hash)
    return invitation.organization_id if invitation else None


async def oauth_state_organization(nonce_hash: str) -> uuid.UUID | None:
    """The organization of the agent tool an OAuth flow with this nonce digest connects."""
    if _on_postgres():
        return await _one("SELECT app_oauth_state_organization($1) AS value", nonce_hash)
    state = await OAuthState.get_or_none(nonce_hash=nonce_hash)
    if state is None:
        return None
    tool = await AgentTool.get_or_none(id=state.agent_tool_id)
    return tool.organization_id if tool else None
