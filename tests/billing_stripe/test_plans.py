from __future__ import annotations

from orm.models import Plan
from tests.billing_stripe.helpers import BillingApp, plan_global_id
from tests.support.factories import Factories
from tests.support.graphql import error_codes

PLANS = """
query Plans {
  plans {
    id key name monthlyPriceCents currency creditsPerPeriod creditsPerMinute
    billingIncrement purchasable
  }
}
"""


async def test_plans_lists_the_plans_synced_from_settings(
    billing: BillingApp, make: Factories
) -> None:
    # given
    account = await make.account()

    # when
    data = await billing.gql.data(PLANS, token=account.token)

    # then
    by_key = {plan["key"]: plan for plan in data["plans"]}
    starter = await Plan.get(key="starter")
    assert by_key["starter"] == {
        "id": plan_global_id(starter),
        "key": "starter",
        "name": "Starter",
        "monthlyPriceCents": 4900,
        "currency": "usd",
        "creditsPerPeriod": 3000,
        "creditsPerMinute": 10,
        "billingIncrement": "MINUTE",
        "purchasable": False,
    }
    assert by_key["growth"]["creditsPerPeriod"] == 15000
    assert by_key["growth"]["creditsPerMinute"] == 8
    assert by_key["growth"]["billingIncrement"] == "SECOND"
    assert by_key["growth"]["purchasable"] is False
    prices = [plan["monthlyPriceCents"] for plan in data["plans"]]
    assert prices == sorted(prices)


async def test_plans_requires_sign_in(billing: BillingApp) -> None:
    # when
    body = await billing.gql.execute(PLANS)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
