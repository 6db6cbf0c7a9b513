import asyncio

from tests.agents.helpers import AGENT_CREATE
from tests.conftest import create_organization, random_phone_number, sign_up


async def test_concurrent_creates_with_the_same_number_let_exactly_one_win(gql):
    # given two organizations racing for one new number
    first_owner = await sign_up(gql)
    first_organization = await create_organization(gql, first_owner)
    second_owner = await sign_up(gql)
    second_organization = await create_organization(gql, second_owner)

    def create(owner, organization_id, name, number):
        return gql.execute(
            AGENT_CREATE,
            {
                "input": {
                    "organizationId": organization_id,
                    "name": name,
                    "systemPrompt": "You answer the phone.",
                    "phoneNumber": number,
                }
            },
            token=owner.token,
        )

    for _ in range(5):  # a few rounds, so that the requests really overlap at least once
        number = random_phone_number()

        # when
        bodies = await asyncio.gather(
            create(first_owner, first_organization, "First", number),
            create(second_owner, second_organization, "Second", number),
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


async def test_the_unique_constraint_answers_when_both_pass_the_check(gql, monkeypatch):
    # given the friendly pre-check is blind, as when both requests pass it at the same moment
    from core.services import agents

    async def blind_check(phone_number, *, agent_id):
        await asyncio.sleep(0.01)

    monkeypatch.setattr(agents, "_ensure_number_free", blind_check)
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()

    def create(name):
        return gql.execute(
            AGENT_CREATE,
            {
                "input": {
                    "organizationId": organization_id,
                    "name": name,
                    "systemPrompt": "You answer the phone.",
                    "phoneNumber": number,
                }
            },
            token=owner.token,
        )

    # when
    bodies = await asyncio.gather(create("First"), create("Second"))

    # then the database refuses the second insert, answered as PHONE_NUMBER_TAKEN
    _assert_one_winner(bodies, number)
