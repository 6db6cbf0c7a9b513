"""An agent's call choices: how it transfers (`transferMode`) and what it does on an answering
machine (`voicemailAction`, `voicemailMessage`): set on create, changed on update, read back,
and a message too long refused with its code, nothing changed."""

from __future__ import annotations

from orm.models import VoiceAgent
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import fake_global_id, global_id, uuid_of

FIELDS = "id transferMode voicemailAction voicemailMessage"
CREATE = f"""
mutation AgentCreate($input: AgentCreateInput!) {{
  agentCreate(input: $input) {{ agent {{ {FIELDS} }} errors {{ field message code }} }}
}}
"""
UPDATE = f"""
mutation AgentUpdate($input: AgentUpdateInput!) {{
  agentUpdate(input: $input) {{ agent {{ {FIELDS} }} errors {{ field message code }} }}
}}
"""
READ = f"query Agent($id: ID!) {{ agent(id: $id) {{ {FIELDS} }} }}"
MESSAGE = "Hi, this is Ada from Bright Smile Dental about your check-up. Please call us back."


async def _create(gql, tenant, **fields):
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    return await gql.payload(
        CREATE,
        {"input": {"organizationId": tenant.organization_id, **values}},
        token=tenant.token,
    )


async def _update(gql, tenant, agent_id, **changes):
    return await gql.payload(UPDATE, {"input": {"id": agent_id, **changes}}, token=tenant.token)


async def _read(gql, tenant, agent_id):
    return (await gql.data(READ, {"id": agent_id}, token=tenant.token))["agent"]


async def test_an_agent_starts_cold_and_hanging_up_on_answering_machines(gql, make):
    # given
    tenant = await make.tenant()

    # when
    payload = await _create(gql, tenant)

    # then
    assert payload["errors"] == []
    agent = payload["agent"]
    assert (agent["transferMode"], agent["voicemailAction"], agent["voicemailMessage"]) == (
        "COLD",
        "HANG_UP",
        "",
    )


async def test_the_choices_given_on_create_are_saved_and_read_back(gql, make):
    # given
    tenant = await make.tenant()

    # when
    payload = await _create(
        gql,
        tenant,
        transferTo="+14155550199",
        transferMode="WARM",
        voicemailAction="LEAVE_MESSAGE",
        voicemailMessage=f"  {MESSAGE}  ",
    )

    # then
    assert payload["errors"] == []
    agent = payload["agent"]
    expected = {
        "id": agent["id"],
        "transferMode": "WARM",
        "voicemailAction": "LEAVE_MESSAGE",
        "voicemailMessage": MESSAGE,
    }
    assert agent == expected
    assert await _read(gql, tenant, agent["id"]) == expected
    row = await VoiceAgent.get(id=uuid_of(agent["id"]))
    assert (row.transfer_mode, row.voicemail_action) == ("warm", "leave_message")


async def test_update_changes_the_choices_given_and_null_clears_the_message(gql, make):
    # given
    tenant = await make.tenant()
    agent = (await _create(gql, tenant, voicemailAction="LEAVE_MESSAGE", voicemailMessage=MESSAGE))[
        "agent"
    ]

    # when
    switched = await _update(gql, tenant, agent["id"], transferMode="WARM")
    cleared = await _update(gql, tenant, agent["id"], voicemailMessage=None)
    back = await _update(gql, tenant, agent["id"], transferMode="COLD", voicemailAction="HANG_UP")

    # then each change kept the others
    assert switched["errors"] == [] and switched["agent"] == {
        **agent,
        "transferMode": "WARM",
    }
    assert cleared["errors"] == [] and cleared["agent"] == {
        **agent,
        "transferMode": "WARM",
        "voicemailMessage": "",
    }
    assert back["errors"] == [] and back["agent"] == {
        "id": agent["id"],
        "transferMode": "COLD",
        "voicemailAction": "HANG_UP",
        "voicemailMessage": "",
    }
    assert await _read(gql, tenant, agent["id"]) == back["agent"]


async def test_a_voicemail_message_over_1000_characters_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    agent = (await _create(gql, tenant, voicemailMessage=MESSAGE))["agent"]
    too_long = "x" * 1001

    # when
    created = await _create(gql, tenant, name="Second", voicemailMessage=too_long)
    updated = await _update(
        gql, tenant, agent["id"], voicemailMessage=too_long, voicemailAction="LEAVE_MESSAGE"
    )

    # then: refused with the field and its code, and nothing changed
    assert created["agent"] is None and payload_codes(created) == ["INVALID_VOICEMAIL_MESSAGE"]
    assert created["errors"][0]["field"] == "voicemailMessage"
    assert updated["agent"] is None and payload_codes(updated) == ["INVALID_VOICEMAIL_MESSAGE"]
    assert await VoiceAgent.filter(organization_id=uuid_of(tenant.organization_id)).count() == 1
    assert await _read(gql, tenant, agent["id"]) == agent
    # and exactly 1000 characters are accepted
    fits = await _update(gql, tenant, agent["id"], voicemailMessage="x" * 1000)
    assert fits["errors"] == [] and fits["agent"]["voicemailMessage"] == "x" * 1000


async def test_a_value_outside_the_enums_is_a_graphql_error(gql, make):
    # given
    tenant = await make.tenant()
    agent = (await _create(gql, tenant))["agent"]

    # when
    body = await gql.execute(
        UPDATE,
        {"input": {"id": agent["id"], "transferMode": "LUKEWARM"}},
        token=tenant.token,
    )

    # then the request is refused before any resolver runs
    assert error_codes(body) == ["BAD_REQUEST"]
    assert await _read(gql, tenant, agent["id"]) == agent


async def test_another_organizations_agent_cannot_be_switched(gql, make):
    # given
    tenant, stranger = await make.tenant(), await make.tenant()
    agent = await make.agent(tenant)
    agent_id = global_id("Agent", agent.id)

    # when
    body = await gql.execute(
        UPDATE,
        {"input": {"id": agent_id, "voicemailAction": "LEAVE_MESSAGE"}},
        token=stranger.token,
    )

    # then it reads like a missing agent, and nothing changed
    missing = await gql.execute(
        UPDATE,
        {"input": {"id": fake_global_id("Agent"), "voicemailAction": "LEAVE_MESSAGE"}},
        token=stranger.token,
    )
    assert error_codes(body) == error_codes(missing)
    assert (await VoiceAgent.get(id=agent.id)).voicemail_action == "hang_up"
