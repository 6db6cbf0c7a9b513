"""What only the tool framework tests need: the calendar's functions, an API-key tool (no code
defines one yet), the operations several of these files send, and tool module sources.

Everything else (people, organizations, agents, tools on agents) comes from the factories.
"""

from __future__ import annotations

import base64
import os

from livekit.agents import RunContext, function_tool

from orm.models import PlatformTool
from tests.support.factories import unique_name
from tests.support.ids import global_id
from worker.tools.base import AuthType, BaseTool
from worker.tools.registry import ToolSpec, describe
from worker.tools.runtime import CallSession

GOOGLE_CALENDAR = "google_calendar"
CALENDAR_FUNCTIONS = [
    "calendar_cancel_event",
    "calendar_check_availability",
    "calendar_create_event",
    "calendar_list_my_appointments",
    "calendar_reschedule_event",
]

API_KEY_SECRET_SCHEMA = {
    "type": "object",
    "properties": {"api_key": {"type": "string", "minLength": 8}},
    "required": ["api_key"],
    "additionalProperties": False,
}
API_KEY_CONFIG_SCHEMA = {
    "type": "object",
    "properties": {"store_id": {"type": "string", "minLength": 1}},
    "required": ["store_id"],
    "additionalProperties": False,
}


AGENT_TOOL_NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on AgentTool { isEnabled config } }
}
"""

# Tool modules the registry refuses (tests of `discover` and of the `tools sync` command).
UNDOCUMENTED_TOOL = """
from livekit.agents import RunContext, function_tool
from worker.tools.base import BaseTool


class Mute(BaseTool):
    name = "mute_tool"
    display_name = "Mute"
    description = "Its action has no docstring."

    @function_tool
    async def mute_action(self, ctx: RunContext, city: str) -> str:
        return city
"""

UNIMPORTABLE_TOOL = """
import a_module_that_does_not_exist_anywhere
"""

# What the API process must never import: the decrypting path, the worker and LiveKit Agents.
WORKER_SIDE_MODULES = (
    "core.security.unsealing",
    "core.tools.revocations",
    "core.security.key_rotation",
    "core.services.key_rotation",
    "worker",
    "livekit.agents",
)


def is_worker_side(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in WORKER_SIDE_MODULES)


async def calendar_tool_id() -> str:
    """The global id of the Google Calendar platform tool (reference data)."""
    return global_id("PlatformTool", (await PlatformTool.get(name=GOOGLE_CALENDAR)).id)


def api_key_tool_class(tool_name: str) -> type[BaseTool]:
    """A BaseTool with one action, under a unique tool and function name."""

    async def lookup(self: BaseTool, ctx: RunContext[CallSession], order_id: str) -> str:
        """Look up the status of one of the store's orders.

        Args:
            order_id: The order number the caller reads out.
        """
        runtime = self.runtime(ctx)
        return f"Order {order_id} at {runtime.config.get('store_id')} is on its way."

    function_name = f"{tool_name}_lookup"
    return type(
        f"ApiKeyTool_{tool_name}",
        (BaseTool,),
        {
            "__module__": __name__,
            "name": tool_name,
            "display_name": "Order lookup",
            "description": "Looks up orders in the store's system with an API key.",
            "auth_type": AuthType.API_KEY,
            "config_schema": API_KEY_CONFIG_SCHEMA,
            "secret_config_schema": API_KEY_SECRET_SCHEMA,
            function_name: function_tool(lookup, name=function_name),
        },
    )


async def create_api_key_tool(*, is_active: bool = True) -> tuple[PlatformTool, ToolSpec]:
    """An API-key platform tool row (no such tool exists in code), and its spec for the loader."""
    spec = describe(api_key_tool_class(unique_name("zz_orders")))
    row = await PlatformTool.create(
        name=spec.name,
        display_name="Order lookup",
        description="Looks up orders in the store's system with an API key.",
        auth_type="api_key",
        auth_config={},
        config_schema=API_KEY_CONFIG_SCHEMA,
        secret_config_schema=API_KEY_SECRET_SCHEMA,
        tool_functions_schema=[function.as_json() for function in spec.functions],
        is_active=is_active,
        is_available=True,
    )
    return row, spec


def random_key() -> str:
    """Key material for ENCRYPTION_KEYS (32 random bytes, URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
