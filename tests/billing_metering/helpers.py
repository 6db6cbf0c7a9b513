"""Organizations, members and calls made directly in the database, for metering tests.

Metering is a service-level rule (`core.services.metering`, called by
`core.services.calls.apply_status`), so most tests drive it there; organizations
are made without GraphQL (no Argon2 sign-ups) and funded through the ledger.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from core.services import credits
from core.services.calls import CallStatus, apply_status
from core.settings import Settings
from orm.models import Call, CreditLedgerEntry, EmailOutbox, Membership, Organization, Role, User

CALLER = "+14155550199"
OUR_NUMBER = "+14155550100"


async def funded_organization(
    settings: Settings, balance: int, name: str = "Metered Co"
) -> Organization:
    """An organization whose balance was granted through the ledger."""
    organization = await Organization.create(name=name, slug=f"metered-{uuid.uuid4().hex[:12]}")
    if balance:
        await credits.apply(
            organization_id=organization.id,
            amount=balance,
            kind=credits.CreditKind.GRANT,
            reason="Test grant",
            reference=f"test-grant:{uuid.uuid4()}",
            settings=settings,
        )
    return await Organization.get(id=organization.id)


async def add_member(organization: Organization, role_key: str) -> str:
    """A user with the given built-in role in the organization; returns the e-mail."""
    email = f"{role_key}-{uuid.uuid4().hex[:10]}@example.com"
    user = await User.create(email=email, password_hash="not-a-hash", full_name=role_key)
    role = await Role.get(key=role_key)
    await Membership.create(user=user, organization=organization, role=role)
    return email


async def answered_call(
    organization: Organization,
    *,
    seconds_ago: float | None,
    status: CallStatus = CallStatus.IN_PROGRESS,
    snapshot: dict[str, Any] | None = None,
    agent: Any = None,
) -> Call:
    """A call answered `seconds_ago` seconds ago (None: never answered, still ringing)."""
    answered_at = (
        datetime.now(UTC) - timedelta(seconds=seconds_ago) if seconds_ago is not None else None
    )
    return await Call.create(
        id=uuid.uuid4(),
        organization=organization,
        agent=agent,
        direction="inbound",
        from_number=CALLER,
        to_number=OUR_NUMBER,
        status=status.value if seconds_ago is not None else CallStatus.RINGING.value,
        answered_at=answered_at,
        snapshot=snapshot if snapshot is not None else {"max_call_duration_seconds": 1800},
    )


async def end(
    call: Call,
    settings: Settings,
    *,
    source: str = "worker",
    status: CallStatus = CallStatus.COMPLETED,
    reason: str | None = None,
    duration_seconds: int | None = None,
) -> Call | None:
    return await apply_status(
        call_id=call.id,
        status=status,
        source=source,
        bus=None,
        reason=reason,
        duration_seconds=duration_seconds,
        settings=settings,
    )


async def charges_of(call: Call) -> list[CreditLedgerEntry]:
    return await CreditLedgerEntry.filter(reference=f"call:{call.id}")


async def balance(organization: Organization) -> int:
    return await credits.balance_of(organization.id)


async def ledger_sum(organization: Organization) -> int:
    amounts = await CreditLedgerEntry.filter(organization_id=organization.id).values_list(
        "amount", flat=True
    )
    return sum(int(amount) for amount in amounts)


async def mails_to(addresses: list[str]) -> list[tuple[str, str]]:
    """(to_address, template) of every mail owed to these people, sorted."""
    rows = await EmailOutbox.filter(to_address__in=addresses).values_list("to_address", "template")
    return sorted((str(to), str(template)) for to, template in rows)
