from __future__ import annotations

import time

from orm.models import EmailOutbox, Subscription
from tests.billing_stripe.helpers import BillingApp, create_plan, set_customer, stripe_event_rows
from tests.fakes.stripe import invoice, new_id, subscription
from tests.support.factories import Factories

MONTH = 30 * 86400


async def _mails(template: str, *addresses: str) -> dict[str, list[EmailOutbox]]:
    return {
        address: await EmailOutbox.filter(to_address=address, template=template)
        for address in addresses
    }


async def test_payment_failed_sets_past_due_and_mails_who_pays(
    billing: BillingApp, make: Factories
) -> None:
    # given: an admin, a billing member and a plain member
    tenant = await make.tenant("Dunning")
    admin = tenant.owner
    accountant = await make.member(tenant, "billing")
    member = await make.member(tenant, "member")
    customer = await set_customer(tenant)
    base = int(time.time()) - 600
    failed = invoice(
        customer=customer,
        price_id=None,
        period_start=base,
        period_end=base + MONTH,
        subscription=new_id("sub"),
        status="open",
        amount=4900,
    )
    event = billing.stripe.event("invoice.payment_failed", failed)

    # when: delivered twice
    assert (await billing.deliver(event)).status_code == 200
    assert (await billing.deliver(event)).status_code == 200

    # then
    row = await Subscription.get(organization_id=tenant.organization_uuid)
    assert row.status == "past_due"
    (recorded,) = await stripe_event_rows(event["id"])
    assert recorded.outcome == "payment_failed"
    mails = await _mails("payment_failed", admin.email, accountant.email, member.email)
    assert [len(mails[address]) for address in (admin.email, accountant.email)] == [1, 1]
    assert mails[member.email] == []
    mail = mails[admin.email][0]
    assert "49.00 USD" in mail.text_body
    assert "Dunning" in mail.subject
    assert f"{billing.settings.dashboard_url}/billing" in mail.text_body


async def test_an_older_payment_failure_does_not_override_a_newer_status(
    billing: BillingApp, make: Factories
) -> None:
    # given: the subscription became active after the failed attempt (paid on retry)
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan()
    base = int(time.time()) - 600
    subscription_id = new_id("sub")
    active = billing.stripe.event(
        "customer.subscription.updated",
        subscription(
            tenant.organization_uuid,
            subscription_id=subscription_id,
            customer=customer,
            status="active",
            price_id=plan.stripe_price_id or "",
            period_start=base,
            period_end=base + MONTH,
        ),
        created=base + 100,
    )
    failed = billing.stripe.event(
        "invoice.payment_failed",
        invoice(
            customer=customer,
            price_id=None,
            period_start=base,
            period_end=base + MONTH,
            subscription=subscription_id,
            status="open",
        ),
        created=base + 50,
    )

    # when: the older failure arrives last
    assert (await billing.deliver(active)).status_code == 200
    assert (await billing.deliver(failed)).status_code == 200

    # then
    row = await Subscription.get(organization_id=tenant.organization_uuid)
    assert row.status == "active"
    assert row.plan_id == plan.id  # type: ignore[attr-defined]
