"""The billing app (the API in-process, its Stripe being the fake), and the ledger invariant
checked at the end of every module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from orm.models import CreditLedgerEntry, Organization
from tests.billing_stripe.helpers import BillingApp
from tests.fakes.stripe import FakeStripe
from tests.support.servers import RunningServer, asgi_client


@pytest_asyncio.fixture(scope="session")
async def billing_app(
    server: RunningServer, stripe_server: FakeStripe
) -> AsyncIterator[BillingApp]:
    settings = server.settings.model_copy(update=stripe_server.settings_overrides())
    async with asgi_client(settings) as app:
        yield BillingApp(settings, app.http, app.gql, stripe_server)


@pytest.fixture
def billing(billing_app: BillingApp, stripe_fake: FakeStripe) -> BillingApp:
    """The API in-process with Stripe (the fake, with a clean slate) configured, on the
    session's database."""
    return billing_app


@pytest_asyncio.fixture(scope="module", autouse=True)
async def _every_balance_equals_its_ledger(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After the module's tests: every organization's balance is the sum of its ledger, and
    each entry's balance_after is the running sum in (created_at, id) order."""
    yield
    on_database = any(
        "server" in item.fixturenames  # type: ignore[attr-defined]
        for item in request.session.items
        if item.module is request.module  # type: ignore[attr-defined]
    )
    if not on_database:
        return
    problems = []
    for organization in await Organization.all().order_by("created_at", "id"):
        entries = await CreditLedgerEntry.filter(organization_id=organization.id).order_by(
            "created_at", "id"
        )
        running = 0
        for entry in entries:
            running += entry.amount
            if entry.balance_after != running:
                problems.append(
                    f"organization {organization.name!r} ({organization.id}): entry "
                    f"{entry.reference!r} has balance_after {entry.balance_after}, the running "
                    f"sum is {running}"
                )
        if organization.credit_balance != running:
            problems.append(
                f"organization {organization.name!r} ({organization.id}): balance "
                f"{organization.credit_balance} != ledger sum {running}"
            )
    if problems:
        pytest.fail(
            f"the ledger invariant broke in {request.module.__name__}:\n" + "\n".join(problems),
            pytrace=False,
        )
