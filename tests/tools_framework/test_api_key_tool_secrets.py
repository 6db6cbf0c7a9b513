"""API-key tools: secrets go in sealed and never come back out through the API or the logs."""

from __future__ import annotations

import pytest

from orm.models import AgentTool, PlatformTool
from tests.support.factories import unique_name
from tests.support.ids import global_id, uuid_of
from tests.support.logs import capture_logs
from tests.support.operations import (
    AGENT_TOOL_CONFIGURE,
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
    PLATFORM_TOOLS,
)
from tests.tools_framework.helpers import (
    AGENT_TOOL_NODE,
    create_api_key_tool,
)

SECRET = "sk_live_PLANTED_SECRET_123"
NEW_SECRET = "sk_live_PLANTED_ROTATED_456"
TOO_SHORT = "api_key: breaks the schema's 'minLength' rule"


async def test_a_secret_is_sealed_and_only_its_field_name_is_shown(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    agent_id = global_id("Agent", agent.id)
    tool, _ = await create_api_key_tool()
    tool_id = global_id("PlatformTool", tool.id)
    responses: list[str] = []

    async def call(query: str, variables: dict) -> dict:
        response = await gql.raw(query, variables, token=tenant.token)
        assert response.status_code == 200, response.text
        responses.append(response.text)
        return response.json()

    with capture_logs() as logs:
        # when
        configured = await call(
            AGENT_TOOL_CONFIGURE,
            {
                "input": {
                    "agentId": agent_id,
                    "toolId": tool_id,
                    "config": {"store_id": "berlin-1"},
                    "secretConfig": {"api_key": SECRET},
                }
            },
        )
        agent_tool_id = configured["data"]["agentToolConfigure"]["agentTool"]["id"]
        listed = await call(AGENT_TOOLS, {"id": agent_id})
        node = await call(AGENT_TOOL_NODE, {"id": agent_tool_id})
        await call(PLATFORM_TOOLS, {})
        config_only = await call(
            AGENT_TOOL_UPDATE,
            {
                "input": {
                    "id": agent_tool_id,
                    "config": {"store_id": "munich-2"},
                }
            },
        )
        stored_after_config_only = (await AgentTool.get(id=uuid_of(agent_tool_id))).sensitive_config
        too_short = await call(
            AGENT_TOOL_UPDATE,
            {
                "input": {
                    "id": agent_tool_id,
                    "secretConfig": {"api_key": "sk_7chr"},
                }
            },
        )
        extra_field = await call(
            AGENT_TOOL_UPDATE,
            {
                "input": {
                    "id": agent_tool_id,
                    "secretConfig": {"api_key": NEW_SECRET, "other": SECRET},
                }
            },
        )
        replaced = await call(
            AGENT_TOOL_UPDATE,
            {
                "input": {
                    "id": agent_tool_id,
                    "secretConfig": {"api_key": NEW_SECRET},
                }
            },
        )
    # then: the API says which field is set, never its value
    payload = configured["data"]["agentToolConfigure"]
    assert payload["errors"] == []
    assert payload["agentTool"]["secretFieldsSet"] == ["api_key"]
    assert payload["agentTool"]["config"] == {"store_id": "berlin-1"}
    assert payload["agentTool"]["connection"] is None
    assert payload["agentTool"]["tool"]["authType"] == "API_KEY"
    assert listed["data"]["agent"]["tools"][0]["secretFieldsSet"] == ["api_key"]
    assert node["data"]["node"]["id"] == agent_tool_id
    assert config_only["data"]["agentToolUpdate"]["agentTool"]["secretFieldsSet"] == ["api_key"]
    # invalid secrets are payload errors that do not echo the value
    assert too_short["data"]["agentToolUpdate"] == {
        "agentTool": None,
        "errors": [
            {"field": "secretConfig", "message": TOO_SHORT, "code": "INVALID_SECRET_CONFIG"}
        ],
    }
    assert extra_field["data"]["agentToolUpdate"]["errors"] == [
        {
            "field": "secretConfig",
            "message": "Additional properties are not allowed ('other' was unexpected)",
            "code": "INVALID_SECRET_CONFIG",
        }
    ]
    assert replaced["data"]["agentToolUpdate"]["errors"] == []
    # stored sealed, bound to the row, and replaced only when new secrets are given
    row = await AgentTool.get(id=uuid_of(agent_tool_id))
    assert stored_after_config_only is not None
    assert stored_after_config_only.startswith("v1.")
    assert row.sensitive_config.startswith("v1.")
    assert row.sensitive_config != stored_after_config_only
    for sealed in (stored_after_config_only, row.sensitive_config):
        assert SECRET not in sealed and NEW_SECRET not in sealed and "api_key" not in sealed
    assert row.secret_fields_set == ["api_key"]
    # no response and no log line carries a secret, not even the rejected ones
    for text in responses:
        for planted in (SECRET, NEW_SECRET, "sk_7chr"):
            assert planted not in text
    assert logs.records, "the handler saw no records at all"
    for text in logs.texts():
        for planted in (SECRET, NEW_SECRET, "sk_7chr"):
            assert planted not in text


async def test_configuring_with_an_invalid_secret_stores_nothing(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    agent_id = global_id("Agent", agent.id)
    tool, _ = await create_api_key_tool()
    # when
    with capture_logs() as logs:
        response = await gql.raw(
            AGENT_TOOL_CONFIGURE,
            {
                "input": {
                    "agentId": agent_id,
                    "toolId": global_id("PlatformTool", tool.id),
                    "config": {"store_id": "x"},
                    "secretConfig": {"api_key": "PLANT42"},
                }
            },
            token=tenant.token,
        )
    # then
    assert response.status_code == 200, response.text
    assert response.json()["data"]["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {"field": "secretConfig", "message": TOO_SHORT, "code": "INVALID_SECRET_CONFIG"}
        ],
    }
    assert "PLANT42" not in response.text
    assert logs.records, "the handler saw no records at all"
    assert all("PLANT42" not in text for text in logs.texts())
    assert await AgentTool.filter(agent_id=agent.id).count() == 0


@pytest.mark.parametrize(
    ("schema", "secret", "planted", "message"),
    [
        (
            {"pin": {"type": "integer", "maximum": 9999}},
            {"pin": 48151623},
            "48151623",
            "pin: breaks the schema's 'maximum' rule",
        ),
        (
            {"pin": {"type": "integer", "multipleOf": 7}},
            {"pin": 48151623},
            "48151623",
            "pin: breaks the schema's 'multipleOf' rule",
        ),
        (
            {"token": {"type": "string", "maxLength": 4}},
            {"token": "PLANTED_LONG"},
            "PLANTED_LONG",
            "token: breaks the schema's 'maxLength' rule",
        ),
        (
            {"token": {"type": "string"}},
            {"token": ["PLANTED_IN_LIST"]},
            "PLANTED_IN_LIST",
            "token: breaks the schema's 'type' rule",
        ),
    ],
    ids=["number-too-big", "number-not-multiple", "string-too-long", "wrong-type"],
)
async def test_no_secret_schema_violation_echoes_the_value(
    gql, make, schema, secret, planted, message
):
    # given: secret schemas other than a string API key (numbers carry no quotes)
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    agent_id = global_id("Agent", agent.id)
    tool = await PlatformTool.create(
        name=unique_name("zz_pin_tool"),
        display_name="PIN tool",
        description="Uses a PIN.",
        auth_type="api_key",
        config_schema={"type": "object"},
        secret_config_schema={"type": "object", "properties": schema},
        tool_functions_schema=[
            {
                "name": unique_name("zz_pin"),
                "description": "Use the PIN.",
                "parameters": {"type": "object", "properties": {}},
            }
        ],
    )
    # when
    response = await gql.raw(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": agent_id,
                "toolId": global_id("PlatformTool", tool.id),
                "config": {},
                "secretConfig": secret,
            }
        },
        token=tenant.token,
    )
    # then
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["agentToolConfigure"]
    assert payload["agentTool"] is None
    assert payload["errors"] == [
        {"field": "secretConfig", "message": message, "code": "INVALID_SECRET_CONFIG"}
    ]
    assert planted not in response.text
    assert await AgentTool.filter(agent_id=agent.id).count() == 0
