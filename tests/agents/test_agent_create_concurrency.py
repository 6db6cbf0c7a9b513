import asyncio

from tests.support.factories import unique_phone_number
from tests.support.operations import AGENT_CREATE


def _create(gql, tenant, name, number):
    return gql.execute(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "name": name,
                "systemPrompt": "You answer the phone.",
                "phoneNumber": number,
            }
        },
        token=tenant.token,
    )


async def test_concurrent_creates_with_the_same_number_let_exactly_one_win(gql, make):
    # given two organizations racing for one new number
    first, second = await make.tenant("First"), await make.tenant("Second")

    for _ in range(5):  # a few rounds, so that the requests really overlap at least once
        number = unique_phone_number()

        # when
        bodies = await asyncio.gather(
            _create(gql, first, "First", number), _create(gql, second, "Second", number)
        )

        # then no unexpected error, one agent and one PHONE_NUMBER_TAKEN
        _assert_one_winner(bodies, number)


def _assert_one_winner(bodies, number):
    assert all("errors" not in body for body in bodies), bodies
    payloads = [body["data"]["agentCreate"] for body in bodies]
    winners = [p for p in payloads if p["agent"] is not None]
    losers = [p for p in payloads if p["agent"] is None]
    assert len(winners) == 1 and len(losers) == 1, payloads
    assert winners[0]["errors"] == [] and winners[0]["agent"]["phoneNumber"] == number
    assert [(e["field"], e["code"]) for e in losers[0]["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]


async def test_the_unique_constraint_answers_when_both_pass_the_check(gql, make, monkeypatch):
    # given the friendly pre-check is blind, and both requests are past it before either
    # inserts: the database's unique constraint is all that stands between them
    from core.services import agents

    both_checked = asyncio.Barrier(2)

    async def blind_check(phone_number, *, agent_id):
        await both_checked.wait()

    monkeypatch.setattr(agents, "_ensure_number_free", blind_check)
    tenant = await make.tenant()
    number = unique_phone_number()

    # when
    bodies = await asyncio.gather(
        _create(gql, tenant, "First", number), _create(gql, tenant, "Second", number)
    )

    # then the database refuses the second insert, answered as PHONE_NUMBER_TAKEN
    _assert_one_winner(bodies, number)
