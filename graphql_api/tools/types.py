from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import agent_tools
from graphql_api.context import Info
from graphql_api.lookahead import MISSING, cached
from graphql_api.node import Node, NodeKind
from orm.models import AgentTool, CustomFunction, PlatformTool


@strawberry.enum(description="How a tool authenticates to the service it uses.")
class ToolAuthType(enum.Enum):
    NONE = strawberry.enum_value("none", description="It needs no credentials.")
    API_KEY = strawberry.enum_value(
        "api_key", description="It needs a key or other secret, set in `secretConfig`."
    )
    OAUTH2 = strawberry.enum_value(
        "oauth2",
        description="It acts for an account of its provider, connected with `agentToolOAuthStart`.",
    )


@strawberry.enum(description="Whether an OAuth tool's account is connected.")
class ConnectionStatus(enum.Enum):
    NOT_CONNECTED = strawberry.enum_value(
        "not_connected", description="No account is connected yet."
    )
    CONNECTED = strawberry.enum_value(
        "connected", description="An account is connected; the tool can use it."
    )
    NEEDS_RECONNECT = strawberry.enum_value(
        "needs_reconnect",
        description="The connection stopped working (e.g. the grant was revoked); connect again.",
    )


# A tool function as the platform and an agent both show it, described once.
_FUNCTION_NAME = "The function's name, as the model calls it."
_FUNCTION_DESCRIPTION = "What the model reads to decide when to call it."
_FUNCTION_PARAMETERS = "A JSON schema of its arguments (an object)."


@strawberry.type(description="A function the model can call, with its JSON-schema parameters.")
class ToolFunction:
    name: str = strawberry.field(description=_FUNCTION_NAME)
    description: str = strawberry.field(description=_FUNCTION_DESCRIPTION)
    parameters: JSON = strawberry.field(description=_FUNCTION_PARAMETERS)


@strawberry.type(description="A tool function on one agent, and whether the agent may use it.")
class AgentToolFunction:
    name: str = strawberry.field(description=_FUNCTION_NAME)
    description: str = strawberry.field(description=_FUNCTION_DESCRIPTION)
    parameters: JSON = strawberry.field(description=_FUNCTION_PARAMETERS)
    enabled: bool = strawberry.field(
        description="Whether this agent may call it: false when it is in `disabledFunctions`."
    )


def _tool_functions(self: PlatformToolType) -> list[ToolFunction]:
    return [
        ToolFunction(name=f["name"], description=f["description"], parameters=f["parameters"])
        for f in self.model.tool_functions_schema or []
    ]


@strawberry.type(name="PlatformTool", description="A tool the platform offers to agents.")
class PlatformToolType(Node):
    node_kind = NodeKind("platform_tool", None)

    name: str = strawberry.field(
        description="The tool's stable identifier, e.g. `google_calendar`."
    )
    display_name: str = strawberry.field(description="The tool's name, for people.")
    description: str = strawberry.field(
        description="What the tool does; a platform admin may reword it (`platformToolUpdate`)."
    )
    auth_type: ToolAuthType = strawberry.field(
        description="How it authenticates to the service it uses."
    )
    config_schema: JSON = strawberry.field(description="JSON schema of `config`.")
    secret_config_schema: JSON = strawberry.field(
        description="JSON schema of `secretConfig` (API-key tools); OAuth tools connect instead."
    )
    is_active: bool = strawberry.field(description="Offered now: switched on and still in code.")
    is_available: bool = strawberry.field(description="Still present in the platform's code.")
    # Built when asked for: most reads of a tool show its name, not its functions.
    functions: list[ToolFunction] = strawberry.field(
        resolver=_tool_functions, description="The functions it gives an agent."
    )
    model: strawberry.Private[PlatformTool]

    @classmethod
    def from_model(cls, tool: PlatformTool) -> PlatformToolType:
        return cls(
            id=str(tool.id),
            name=tool.name,
            display_name=tool.display_name,
            description=tool.custom_description or tool.description,
            auth_type=ToolAuthType(tool.auth_type),
            config_schema=JSON(tool.config_schema),
            secret_config_schema=JSON(tool.secret_config_schema),
            is_active=tool.is_active and tool.is_available,
            is_available=tool.is_available,
            model=tool,
        )


@strawberry.type(description="Whether an OAuth tool is connected, and to which account.")
class OAuthConnection:
    status: ConnectionStatus = strawberry.field(description="Whether an account is connected.")
    account: str | None = strawberry.field(
        description="The connected account, e.g. its email address; null when none is."
    )
    connected_at: datetime | None = strawberry.field(
        description="When the account was connected; null when none is."
    )
    reason: str | None = strawberry.field(description="Why it needs reconnecting, if it does.")


def _agent_tool_functions(self: AgentToolType) -> list[AgentToolFunction]:
    states, _ = agent_tools.function_states(self.model)
    return [
        AgentToolFunction(
            name=f["name"], description=f["description"], parameters=f["parameters"], enabled=on
        )
        for f, on in states
    ]


def _stale_functions(self: AgentToolType) -> list[str]:
    return agent_tools.function_states(self.model)[1]


@strawberry.type(name="AgentTool", description="A tool configured on an agent. Secrets never show.")
class AgentToolType(Node):
    node_kind = NodeKind("agent_tool", Permission.TOOL_READ)

    is_enabled: bool = strawberry.field(
        description="Switched on for this agent; a disabled tool is not offered on calls."
    )
    config: JSON = strawberry.field(
        description="The tool's settings for this agent, matching the tool's `configSchema`; "
        "secrets are never here."
    )
    secret_fields_set: list[str] = strawberry.field(
        description="Names of the secret fields that hold a value (never the values)."
    )
    # Built when asked for (most reads of an agent's tools show which, not their functions),
    # declared here to keep the schema's order of fields.
    functions: list[AgentToolFunction] = strawberry.field(
        resolver=_agent_tool_functions,
        description="The tool's functions, each enabled or not for this agent.",
    )
    stale_functions: list[str] = strawberry.field(
        resolver=_stale_functions,
        description="Disabled function names the tool no longer has; ignored on calls.",
    )
    needs_reconnect: bool = strawberry.field(
        description="The tool cannot run until its owner connects it or sets its secrets again."
    )
    reconnect_reason: str | None = strawberry.field(
        description="Why it needs reconnecting; null when it does not."
    )
    created_at: datetime = strawberry.field(description="When the tool was added to the agent.")
    updated_at: datetime = strawberry.field(description="When its settings last changed.")
    model: strawberry.Private[AgentTool]

    @strawberry.field(description="The platform tool this configures.")
    def tool(self) -> PlatformToolType:
        return PlatformToolType.from_model(self.model.tool)

    @strawberry.field(description="Null for tools that do not connect an account.")
    def connection(self) -> OAuthConnection | None:
        row = self.model
        if row.tool.auth_type != "oauth2":
            return None
        if row.needs_reconnect:
            status = ConnectionStatus.NEEDS_RECONNECT
        elif row.sensitive_config:
            status = ConnectionStatus.CONNECTED
        else:
            status = ConnectionStatus.NOT_CONNECTED
        return OAuthConnection(
            status=status,
            account=row.oauth_account,
            connected_at=row.oauth_connected_at,
            reason=row.reconnect_reason,
        )

    @classmethod
    def from_model(cls, row: AgentTool) -> AgentToolType:
        return cls(
            id=str(row.id),
            is_enabled=row.is_enabled,
            config=JSON(row.config or {}),
            secret_fields_set=list(row.secret_fields_set or []),
            needs_reconnect=row.needs_reconnect,
            reconnect_reason=row.reconnect_reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            model=row,
        )


# A custom function and the inputs that set it share these descriptions.
CUSTOM_FUNCTION_NAME = (
    "What the model calls, e.g. `lookup_order`: a letter, then up to 63 letters, digits or _."
)
CUSTOM_FUNCTION_DESCRIPTION = "What the model reads to decide to call it, 1 to 2,000 characters."
CUSTOM_FUNCTION_PARAMETERS = (
    'A JSON schema of its arguments: {"type": "object", "properties": {...}}. Arguments that '
    "fill no URL placeholder go in the query string (GET, DELETE) or the JSON body."
)
CUSTOM_FUNCTION_METHOD = "The HTTP method: GET, POST, PUT, PATCH or DELETE."
CUSTOM_FUNCTION_URL_TEMPLATE = (
    "The http(s) URL called, with {parameter} placeholders filled from the arguments, e.g. "
    "https://x.example/o/{id}."
)
CUSTOM_FUNCTION_HEADERS = "Headers sent with every request: a JSON object of names to values."
CUSTOM_FUNCTION_TIMEOUT = (
    "How long a request may take, in seconds (0.5 to 30), before the model is told it failed."
)
CUSTOM_FUNCTION_IS_ACTIVE = "Switched on; an inactive function is offered by no agent."


@strawberry.type(
    name="CustomFunction",
    description="An organization's own HTTP function. Secret header values never show.",
)
class CustomFunctionType(Node):
    node_kind = NodeKind("custom_function", Permission.TOOL_READ)

    name: str = strawberry.field(description=CUSTOM_FUNCTION_NAME)
    description: str = strawberry.field(description=CUSTOM_FUNCTION_DESCRIPTION)
    parameters: JSON = strawberry.field(description=CUSTOM_FUNCTION_PARAMETERS)
    method: str = strawberry.field(description=CUSTOM_FUNCTION_METHOD)
    url_template: str = strawberry.field(description=CUSTOM_FUNCTION_URL_TEMPLATE)
    headers: JSON = strawberry.field(description=CUSTOM_FUNCTION_HEADERS)
    secret_header_names: list[str] = strawberry.field(
        description="The names of the secret headers sent (never their values)."
    )
    timeout_seconds: float = strawberry.field(description=CUSTOM_FUNCTION_TIMEOUT)
    is_active: bool = strawberry.field(description=CUSTOM_FUNCTION_IS_ACTIVE)
    created_at: datetime = strawberry.field(description="When it was defined.")
    model: strawberry.Private[CustomFunction]

    @classmethod
    def from_model(cls, function: CustomFunction) -> CustomFunctionType:
        return cls(
            id=str(function.id),
            name=function.name,
            description=function.description,
            parameters=JSON(function.parameters),
            method=function.method,
            url_template=function.url_template,
            headers=JSON(function.headers or {}),
            secret_header_names=list(function.secret_header_names or []),
            timeout_seconds=function.timeout_seconds,
            is_active=function.is_active,
            created_at=function.created_at,
            model=function,
        )


def agent_tools_of(info: Info, agent_id: uuid.UUID) -> Any:
    """The agent's tools: a list when its page loaded them (graphql_api/lookahead.py), else
    an awaitable of it."""
    rows = cached(info.context.loaders.agent_tools_by_agent, agent_id)
    if rows is MISSING:
        return _load_agent_tools(info, agent_id)
    return [AgentToolType.from_model(row) for row in rows]


async def _load_agent_tools(info: Info, agent_id: uuid.UUID) -> list[AgentToolType]:
    rows = await info.context.loaders.agent_tools_by_agent.load(agent_id)
    return [AgentToolType.from_model(row) for row in rows]


async def custom_functions_of(info: Info, agent_id: uuid.UUID) -> list[CustomFunctionType]:
    rows = await info.context.loaders.custom_functions_by_agent.load(agent_id)
    return [CustomFunctionType.from_model(row) for row in rows]
