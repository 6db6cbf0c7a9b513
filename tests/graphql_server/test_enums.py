"""Closed sets are enums in the schema: a plan's billing increment, a ledger entry's kind, the
subscription's status, and which built-in role a role is (custom roles keep their keys)."""

from core.rbac import BuiltinRole as CoreBuiltinRole
from core.services.credits import CreditKind
from graphql_api.billing.enums import CreditLedgerEntryKind
from graphql_api.roles.enums import BuiltinRole
from orm.models import Plan, Subscription

PLANS = "{ plans { key billingIncrement } }"

SUMMARY = """
query Summary($org: ID!) {
  billingSummary(organizationId: $org) {
    subscriptionStatus
    ledger { edges { node { amount kind } } }
  }
}
"""

ROLES = "{ roles { key isBuiltin builtinRole } }"


async def test_a_plans_billing_increment_is_an_enum(gql, make):
    # given
    account = await make.account()
    stored = {plan.key: plan.billing_increment for plan in await Plan.all()}

    # when
    data = await gql.data(PLANS, token=account.token)

    # then
    shown = {plan["key"]: plan["billingIncrement"] for plan in data["plans"]}
    assert shown == {key: increment.upper() for key, increment in stored.items()}
    assert set(shown.values()) <= {"MINUTE", "SECOND"}


async def test_a_ledger_entrys_kind_is_an_enum(gql, make):
    # given
    tenant = await make.tenant()
    await make.grant_credits(tenant, 50)
    await make.grant_credits(tenant, -20)

    # when
    data = await gql.data(SUMMARY, {"org": tenant.organization_id}, token=tenant.token)

    # then
    entries = [edge["node"] for edge in data["billingSummary"]["ledger"]["edges"]]
    assert {"amount": -20, "kind": "ADJUSTMENT"} in entries
    assert {"amount": 50, "kind": "GRANT"} in entries


async def test_the_subscription_status_is_an_enum(gql, make):
    # given
    tenant = await make.tenant()
    variables = {"org": tenant.organization_id}

    async def status_shown() -> str:
        data = await gql.data(SUMMARY, variables, token=tenant.token)
        return data["billingSummary"]["subscriptionStatus"]

    # when / then: none yet, then what Stripe said
    assert await status_shown() == "NONE"
    subscription = await Subscription.create(organization_id=tenant.organization_uuid)
    for stored, shown in [("past_due", "PAST_DUE"), ("active", "ACTIVE"), ("none", "NONE")]:
        await Subscription.filter(id=subscription.id).update(status=stored)
        assert await status_shown() == shown


async def test_a_status_stripe_added_later_shows_as_unknown(gql, make):
    # given a status this API was not written for
    tenant = await make.tenant()
    await Subscription.create(organization_id=tenant.organization_uuid, status="frozen_in_time")

    # when
    data = await gql.data(SUMMARY, {"org": tenant.organization_id}, token=tenant.token)

    # then: the summary is answered
    assert data["billingSummary"]["subscriptionStatus"] == "UNKNOWN"


async def test_a_built_in_role_says_which_and_a_custom_role_is_null(gql, make):
    # given
    account = await make.account()
    custom = await make.custom_role(["agent:read"])

    # when
    data = await gql.data(ROLES, token=account.token)

    # then
    by_key = {role["key"]: role for role in data["roles"]}
    for role in CoreBuiltinRole:
        assert by_key[role.value]["builtinRole"] == role.name
    assert by_key[custom.key] == {"key": custom.key, "isBuiltin": False, "builtinRole": None}


def test_the_schemas_enums_hold_the_cores_values():
    assert {member.value for member in CreditLedgerEntryKind} == {kind.value for kind in CreditKind}
    assert {member.value for member in BuiltinRole} == {role.value for role in CoreBuiltinRole}
    assert {member.name for member in BuiltinRole} == {role.name for role in CoreBuiltinRole}
