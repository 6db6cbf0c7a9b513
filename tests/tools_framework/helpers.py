"""Operations and small helpers shared by the tool framework tests.

The API covers configuring tools; only what it cannot do (making a platform
admin, an API-key platform tool, which no code defines yet, planting stale or
moved values) touches the database.
"""

from __future__ import annotations

import base64
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from livekit.agents import RunContext, function_tool

from core.tools.base import AuthType, BaseTool
from core.tools.registry import ToolSpec, describe
from core.tools.runtime import CallSession
from graphql_api import ids
from orm.models import PlatformTool, User
from tests.agents.helpers import create_agent
from tests.conftest import Account, GraphQLClient, create_organization, sign_up

GOOGLE_CALENDAR = "google_calendar"
CALENDAR_FUNCTIONS = [
    "calendar_cancel_event",
    "calendar_check_availability",
    "calendar_create_event",
    "calendar_list_events",
    "calendar_reschedule_event",
]
VALID_CALENDAR_CONFIG = {
    "calendar_id": "front-desk@example.com",
    "time_zone": "Europe/Berlin",
    "default_duration_minutes": 45,
    "business_hours": {"start": "08:30", "end": "18:00", "days": [1, 2, 3, 4, 5, 6]},
}

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

PLATFORM_TOOL_FIELDS = """
  id name displayName description authType configSchema secretConfigSchema
  isActive isAvailable functions { name description parameters }
"""

PLATFORM_TOOLS = f"""
query PlatformTools($onlyActive: Boolean) {{
  platformTools(onlyActive: $onlyActive) {{ {PLATFORM_TOOL_FIELDS} }}
}}
"""

PLATFORM_TOOL_UPDATE = f"""
mutation PlatformToolUpdate($input: PlatformToolUpdateInput!) {{
  platformToolUpdate(input: $input) {{
    platformTool {{ {PLATFORM_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_FIELDS = """
  id isEnabled config secretFieldsSet staleFunctions
  functions { name description parameters enabled }
  tool { id name authType }
  connection { status account reason }
"""

AGENT_TOOL_CONFIGURE = f"""
mutation AgentToolConfigure($input: AgentToolConfigureInput!) {{
  agentToolConfigure(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_UPDATE = f"""
mutation AgentToolUpdate($input: AgentToolUpdateInput!) {{
  agentToolUpdate(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_REMOVE = f"""
mutation AgentToolRemove($input: AgentToolRemoveInput!) {{
  agentToolRemove(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOLS = f"""
query AgentTools($id: ID!) {{
  agent(id: $id) {{ id tools {{ {AGENT_TOOL_FIELDS} }} }}
}}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on AgentTool { isEnabled config } }
}
"""


@dataclass
class Owner:
    account: Account
    organization_id: str
    agent_id: str

    @property
    def token(self) -> str:
        return self.account.token


async def owner_with_agent(gql: GraphQLClient, name: str = "Tools Co") -> Owner:
    """A new user, their organization and one agent in it."""
    account = await sign_up(gql, name="Tool Owner")
    organization_id = await create_organization(gql, account, name)
    agent = await create_agent(gql, account, organization_id)
    return Owner(account, organization_id, agent["id"])


def uuid_of(global_id: str) -> uuid.UUID:
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[1]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def platform_tool(gql: GraphQLClient, token: str, name: str) -> dict:
    data = await gql.data(PLATFORM_TOOLS, {}, token=token)
    matches = [tool for tool in data["platformTools"] if tool["name"] == name]
    assert len(matches) == 1, [tool["name"] for tool in data["platformTools"]]
    return matches[0]


async def make_platform_admin(gql: GraphQLClient) -> Account:
    account = await sign_up(gql, name="Platform Admin")
    await User.filter(id=uuid_of(account.user_id)).update(is_platform_admin=True)
    return account


async def restore_google_calendar() -> None:
    """Other suites use the Google Calendar tool: put it back as sync left it."""
    await PlatformTool.filter(name=GOOGLE_CALENDAR).update(is_active=True, custom_description=None)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


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
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class RecordingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        """Each record as everything a formatter could print: message, extras, traceback."""
        out = []
        for record in self.records:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string is still text to scan
                message = f"{record.msg!r} {record.args!r}"
            exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
            out.append(f"{message} {record.__dict__!r} {exc}")
        return out


@contextmanager
def capture_logs() -> Iterator[RecordingHandler]:
    """Every log record of the process (root logger at DEBUG) while the block runs."""
    root = logging.getLogger()
    handler = RecordingHandler()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


async def configure_calendar(gql: GraphQLClient, owner: Owner, **fields: Any) -> dict:
    """Put Google Calendar on the owner's agent; must succeed. Returns the agent tool."""
    tool = await platform_tool(gql, owner.token, GOOGLE_CALENDAR)
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": owner.agent_id,
                "toolId": tool["id"],
                "config": VALID_CALENDAR_CONFIG,
                **fields,
            }
        },
        token=owner.token,
    )
    assert data["agentToolConfigure"]["errors"] == [], data
    return data["agentToolConfigure"]["agentTool"]
