"""What the metering tests read and do around the factories (tests/support/factories.py).

Metering is a service-level rule (`core.services.metering`, called by
`core.services.calls.apply_status`), so most tests drive it there.
"""

from __future__ import annotations

from core.services import credits
from core.services.calls import CallStatus, apply_status
from core.settings import Settings
from orm.models import Call, CreditLedgerEntry, EmailOutbox
from tests.support.factories import Factories, Tenant


async def call_of_length(make: Factories, tenant: Tenant, seconds: int, **fields) -> Call:
    """A call answered `seconds` ago whose time limit is that length: however late the test
    ends it on a busy machine, it is billed exactly `seconds`."""
    return await make.call(
        tenant,
        answered_seconds_ago=seconds,
        snapshot={"max_call_duration_seconds": seconds},
        **fields,
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


async def balance(tenant: Tenant) -> int:
    return await credits.balance_of(tenant.organization_uuid)


async def ledger_sum(tenant: Tenant) -> int:
    amounts = await CreditLedgerEntry.filter(organization_id=tenant.organization_uuid).values_list(
        "amount", flat=True
    )
    return sum(int(amount) for amount in amounts)


async def mails_to(addresses: list[str]) -> list[tuple[str, str]]:
    """(to_address, template) of every mail owed to these people, sorted."""
    rows = await EmailOutbox.filter(to_address__in=addresses).values_list("to_address", "template")
    return sorted((str(to), str(template)) for to, template in rows)
