"""What only the custom HTTP function tests need: their operations, an agent offering functions,
and a call of a function by a scripted model, as the worker makes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livekit.agents import Agent, AgentSession

from core.services import custom_functions
from core.settings import Settings
from orm.models import CustomFunction, VoiceAgent
from tests.support.factories import CALLER_NUMBER, ORDER_PARAMETERS, Factories, Tenant
from tests.support.scripted_llm import ScriptedLLM
from worker.tools.http_functions import load_custom_functions
from worker.tools.runtime import CallSession

CUSTOM_FUNCTION_NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on CustomFunction { name urlTemplate } }
}
"""


def function_input(organization_id: str, **overrides: Any) -> dict[str, Any]:
    """The variables of customFunctionCreate: `lookup_order`, changed by `overrides`."""
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


async def function_on_agent(
    make: Factories,
    tenant: Tenant,
    agent: VoiceAgent,
    *,
    defined_under: Settings | None = None,
    **values: Any,
) -> CustomFunction:
    """A custom function of the organization (snake_case `values`; named `lookup_order`
    unless told), offered by the agent next to those it already offers.

    It is defined under `defined_under`, by default settings that admit every destination:
    these tests point functions at the loopback target or at internal addresses, and what
    they prove is what happens when the function is called."""
    function = await make.custom_function(
        tenant,
        settings=defined_under or allowing_everywhere(make.settings),
        **{"name": "lookup_order", **values},
    )
    offered = await custom_functions.get_for_agent(agent=agent)
    await custom_functions.set_for_agent(
        agent=agent, function_ids=[*(f.id for f in offered), function.id]
    )
    return function


async def agent_with_function(
    make: Factories, *, defined_under: Settings | None = None, **values: Any
) -> tuple[Tenant, VoiceAgent, CustomFunction]:
    """A new organization whose one agent offers one custom function (see function_on_agent)."""
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    return (
        tenant,
        agent,
        await function_on_agent(make, tenant, agent, defined_under=defined_under, **values),
    )


def allowing_loopback(settings: Settings) -> Settings:
    return settings.model_copy(update={"http_tool_allowed_networks": ["127.0.0.1/32"]})


def allowing_everywhere(settings: Settings) -> Settings:
    """HTTP_TOOL_ALLOWED_NETWORKS admitting every address."""
    return settings.model_copy(update={"http_tool_allowed_networks": ["0.0.0.0/0", "::/0"]})


@dataclass
class CallOutcome:
    name: str
    arguments: dict[str, Any]
    output: str
    is_error: bool
    llm: ScriptedLLM


async def call_function(
    agent: VoiceAgent, settings: Settings, name: str, arguments: dict[str, Any]
) -> CallOutcome:
    """Load the agent's custom functions like the worker does and have the model call one."""
    tools, skipped = await load_custom_functions(agent_id=agent.id, settings=settings)
    assert skipped == []
    fake = ScriptedLLM([[(name, arguments)], "Done."])
    userdata = CallSession(
        organization_id=agent.organization_id,  # type: ignore[attr-defined]
        agent_id=agent.id,
        caller_number=CALLER_NUMBER,
    )
    async with AgentSession[CallSession](llm=fake, userdata=userdata) as session:
        await session.start(Agent(instructions="You answer the phone.", tools=tools))
        result = await session.run(user_input="Please check it.")
        result.expect.next_event().is_function_call(name=name)
        event = result.expect.next_event().is_function_call_output().event()
    return CallOutcome(name, arguments, event.item.output, event.item.is_error, fake)
