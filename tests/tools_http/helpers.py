"""Operations and steps shared by the custom HTTP function tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from livekit.agents import Agent, AgentSession

from core.settings import Settings
from core.tools.http_functions import load_custom_functions
from core.tools.runtime import CallSession
from tests.conftest import Account, GraphQLClient, create_organization, sign_up
from tests.organizations.helpers import create_agent, uuid_of
from tests.support.scripted_llm import ScriptedLLM

FUNCTION_FIELDS = (
    "id name description parameters method urlTemplate headers secretHeaderNames "
    "timeoutSeconds isActive createdAt"
)

CUSTOM_FUNCTION_CREATE = f"""
mutation CustomFunctionCreate($input: CustomFunctionCreateInput!) {{
  customFunctionCreate(input: $input) {{
    customFunction {{ {FUNCTION_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

CUSTOM_FUNCTION_UPDATE = f"""
mutation CustomFunctionUpdate($input: CustomFunctionUpdateInput!) {{
  customFunctionUpdate(input: $input) {{
    customFunction {{ {FUNCTION_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

CUSTOM_FUNCTION_DELETE = """
mutation CustomFunctionDelete($input: CustomFunctionDeleteInput!) {
  customFunctionDelete(input: $input) {
    customFunction { id name }
    errors { field message code }
  }
}
"""

CUSTOM_FUNCTIONS = f"""
query CustomFunctions($organizationId: ID!) {{
  customFunctions(organizationId: $organizationId) {{ {FUNCTION_FIELDS} }}
}}
"""

AGENT_CUSTOM_FUNCTIONS_SET = """
mutation AgentCustomFunctionsSet($input: AgentCustomFunctionsSetInput!) {
  agentCustomFunctionsSet(input: $input) {
    agent { id customFunctions { id name } }
    errors { field message code }
  }
}
"""

AGENT_CUSTOM_FUNCTIONS = """
query AgentCustomFunctions($id: ID!) {
  agent(id: $id) { id customFunctions { id name secretHeaderNames } }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on CustomFunction { name urlTemplate } }
}
"""

ORDER_PARAMETERS = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string", "description": "The order number."},
        "verbose": {"type": "boolean"},
    },
    "required": ["order_id"],
}


@dataclass
class Workspace:
    """A signed-up owner with an organization and one agent."""

    owner: Account
    organization_id: str
    agent_id: str

    @property
    def organization_uuid(self) -> uuid.UUID:
        return uuid_of(self.organization_id)

    @property
    def agent_uuid(self) -> uuid.UUID:
        return uuid_of(self.agent_id)


async def workspace(gql: GraphQLClient, name: str = "Functions Co") -> Workspace:
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, name)
    agent_id = await create_agent(gql, owner.token, organization_id)
    return Workspace(owner, organization_id, agent_id)


def function_input(organization_id: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organizationId": organization_id,
        "name": "lookup_order",
        "description": "Look up an order by its number.",
        "parameters": ORDER_PARAMETERS,
        "method": "GET",
        "urlTemplate": "https://api.example.com/orders/{order_id}",
    }
    values.update(overrides)
    return {"input": values}


async def create_function(
    gql: GraphQLClient, account: Account, organization_id: str, **overrides: Any
) -> dict[str, Any]:
    """Create a custom function that must succeed; returns it."""
    data = await gql.data(
        CUSTOM_FUNCTION_CREATE, function_input(organization_id, **overrides), token=account.token
    )
    payload = data["customFunctionCreate"]
    assert payload["errors"] == [], payload
    return payload["customFunction"]


async def set_agent_functions(
    gql: GraphQLClient, account: Account, agent_id: str, function_ids: list[str]
) -> dict[str, Any]:
    data = await gql.data(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": agent_id, "functionIds": function_ids}},
        token=account.token,
    )
    return data["agentCustomFunctionsSet"]


async def agent_with_function(
    gql: GraphQLClient, **overrides: Any
) -> tuple[Workspace, dict[str, Any]]:
    """A fresh workspace whose agent offers one custom function built from `overrides`."""
    space = await workspace(gql)
    function = await create_function(gql, space.owner, space.organization_id, **overrides)
    payload = await set_agent_functions(gql, space.owner, space.agent_id, [function["id"]])
    assert payload["errors"] == [], payload
    return space, function


def allowing_loopback(settings: Settings) -> Settings:
    return settings.model_copy(update={"http_tool_allowed_networks": ["127.0.0.1/32"]})


@dataclass
class CallOutcome:
    name: str
    arguments: dict[str, Any]
    output: str
    is_error: bool
    llm: ScriptedLLM


async def call_function(
    space: Workspace, settings: Settings, name: str, arguments: dict[str, Any]
) -> CallOutcome:
    """Load the agent's custom functions like the worker does and have the model call one."""
    tools, skipped = await load_custom_functions(agent_id=space.agent_uuid, settings=settings)
    assert skipped == []
    fake = ScriptedLLM([[(name, arguments)], "Done."])
    userdata = CallSession(
        organization_id=space.organization_uuid,
        agent_id=space.agent_uuid,
        caller_number="+14155550100",
    )
    async with AgentSession[CallSession](llm=fake, userdata=userdata) as session:
        await session.start(Agent(instructions="You answer the phone.", tools=tools))
        result = await session.run(user_input="Please check it.")
        result.expect.next_event().is_function_call(name=name)
        event = result.expect.next_event().is_function_call_output().event()
    return CallOutcome(name, arguments, event.item.output, event.item.is_error, fake)
