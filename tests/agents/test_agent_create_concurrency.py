import asyncio

from tests.support.ids import global_id
from tests.support.operations import AGENT_CREATE


def _create(gql, tenant, name, number_id):
    return gql.execute(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "name": name,
                "systemPrompt": "You answer the phone.",
                "phoneNumberId": number_id,
            }
        },
        token=tenant.token,
    )


async def test_concurrent_creates_with_the_same_number_let_exactly_one_win(gql, make):
    # given two agents of one organization racing for one of its numbers
    tenant = await make.tenant("First")

    for _ in range(5):  # a few rounds, so that the requests really overlap at least once
        number = await make.phone_number(tenant)

        # when
        bodies = await asyncio.gather(
            _create(gql, tenant, "First", global_id("PhoneNumber", number.id)),
            _create(gql, tenant, "Second", global_id("PhoneNumber", number.id)),
        )

        # then no unexpected error, one agent and one PHONE_NUMBER_IN_USE
        _assert_one_winner(bodies, number.e164)


def _assert_one_winner(bodies, e164):
    assert all("errors" not in body for body in bodies), bodies
    payloads = [body["data"]["agentCreate"] for body in bodies]
    winners = [p for p in payloads if p["agent"] is not None]
    losers = [p for p in payloads if p["agent"] is None]
    assert len(winners) == 1 and len(losers) == 1, payloads
    assert winners[0]["errors"] == [] and winners[0]["agent"]["phoneNumber"] == e164
    assert [(e["field"], e["code"]) for e in losers[0]["errors"]] == [
        ("phoneNumberId", "PHONE_NUMBER_IN_USE")
    ]


async def test_the_unique_constraint_answers_when_the_check_is_passed(gql, make, monkeypatch):
    # given the friendly check is blind: the database's unique constraint on the agent's
    # number is all that stands between two agents and one number
    from core.services import agents, phone_numbers

    async def blind_check(phone_number_id, *, organization_id, agent_id):
        await phone_numbers.assignable(
            organization_id=organization_id, phone_number_id=phone_number_id
        )

    monkeypatch.setattr(agents, "_ensure_number_assignable", blind_check)
    tenant = await make.tenant()
    number = await make.phone_number(tenant)
    first = await _create(gql, tenant, "First", global_id("PhoneNumber", number.id))

    # when
    second = await _create(gql, tenant, "Second", global_id("PhoneNumber", number.id))

    # then the database refuses the second insert, answered as PHONE_NUMBER_IN_USE
    _assert_one_winner([first, second], number.e164)
