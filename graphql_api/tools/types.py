from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.services import agent_tools
from graphql_api.context import Info
from orm.models import AgentTool, CustomFunction, PlatformTool


@strawberry.enum(description="How a tool authenticates to the service it uses.")
class ToolAuthType(enum.Enum):
    NONE = "none"
    API_KEY = "api_key"
    OAUTH2 = "oauth2"


@strawberry.enum
class ConnectionStatus(enum.Enum):
    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"
    NEEDS_RECONNECT = "needs_reconnect"


@strawberry.type(description="A function the model can call, with its JSON-schema parameters.")
class ToolFunction:
    name: str
    description: str
    parameters: JSON


@strawberry.type(description="A tool function on one agent, and whether the agent may use it.")
class AgentToolFunction:
    name: str
    description: str
    parameters: JSON
    enabled: bool


@strawberry.type(name="PlatformTool", description="A tool the platform offers to agents.")
class PlatformToolType(relay.Node):
    id: relay.NodeID[str]
    name: str
    display_name: str
    description: str
    auth_type: ToolAuthType
    config_schema: JSON = strawberry.field(description="JSON schema of `config`.")
    secret_config_schema: JSON = strawberry.field(
        description="JSON schema of `secretConfig` (API-key tools); OAuth tools connect instead."
    )
    is_active: bool = strawberry.field(description="Offered now: switched on and still in code.")
    is_available: bool = strawberry.field(description="Still present in the platform's code.")
    functions: list[ToolFunction]
    model: strawberry.Private[PlatformTool]

    @classmethod
    def from_model(cls, tool: PlatformTool) -> PlatformToolType:
        return cls(
            id=str(tool.id),
            name=tool.name,
            display_name=tool.display_name,
            description=tool.custom_description or tool.description,
            auth_type=ToolAuthType(tool.auth_type),
            config_schema=tool.config_schema,
            secret_config_schema=tool.secret_config_schema,
            is_active=tool.is_active and tool.is_available,
            is_available=tool.is_available,
            functions=[
                ToolFunction(
                    name=f["name"], description=f["description"], parameters=f["parameters"]
                )
                for f in tool.tool_functions_schema or []
            ],
            model=tool,
        )


@strawberry.type(description="Whether an OAuth tool is connected, and to which account.")
class OAuthConnection:
    status: ConnectionStatus
    account: str | None
    connected_at: datetime | None
    reason: str | None = strawberry.field(description="Why it needs reconnecting, if it does.")


@strawberry.type(name="AgentTool", description="A tool configured on an agent. Secrets never show.")
class AgentToolType(relay.Node):
    id: relay.NodeID[str]
    is_enabled: bool
    config: JSON
    secret_fields_set: list[str] = strawberry.field(
        description="Names of the secret fields that hold a value (never the values)."
    )
    functions: list[AgentToolFunction]
    stale_functions: list[str] = strawberry.field(
        description="Disabled function names the tool no longer has; ignored on calls."
    )
    needs_reconnect: bool = strawberry.field(
        description="The tool cannot run until its owner connects it or sets its secrets again."
    )
    reconnect_reason: str | None
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[AgentTool]

    @strawberry.field
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
        states, stale = agent_tools.function_states(row)
        return cls(
            id=str(row.id),
            is_enabled=row.is_enabled,
            config=row.config or {},
            secret_fields_set=list(row.secret_fields_set or []),
            functions=[
                AgentToolFunction(
                    name=f["name"],
                    description=f["description"],
                    parameters=f["parameters"],
                    enabled=enabled,
                )
                for f, enabled in states
            ],
            stale_functions=stale,
            needs_reconnect=row.needs_reconnect,
            reconnect_reason=row.reconnect_reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            model=row,
        )


@strawberry.type(
    name="CustomFunction",
    description="An organization's own HTTP function. Secret header values never show.",
)
class CustomFunctionType(relay.Node):
    id: relay.NodeID[str]
    name: str
    description: str
    parameters: JSON
    method: str
    url_template: str
    headers: JSON
    secret_header_names: list[str]
    timeout_seconds: float
    is_active: bool
    created_at: datetime
    model: strawberry.Private[CustomFunction]

    @classmethod
    def from_model(cls, function: CustomFunction) -> CustomFunctionType:
        return cls(
            id=str(function.id),
            name=function.name,
            description=function.description,
            parameters=function.parameters,
            method=function.method,
            url_template=function.url_template,
            headers=function.headers or {},
            secret_header_names=list(function.secret_header_names or []),
            timeout_seconds=function.timeout_seconds,
            is_active=function.is_active,
            created_at=function.created_at,
            model=function,
        )


async def agent_tools_of(info: Info, agent_id) -> list[AgentToolType]:  # type: ignore[no-untyped-def]
    rows = await info.context.loaders.agent_tools_by_agent.load(agent_id)
    return [AgentToolType.from_model(row) for row in rows]


async def custom_functions_of(info: Info, agent_id) -> list[CustomFunctionType]:  # type: ignore[no-untyped-def]
    rows = await info.context.loaders.custom_functions_by_agent.load(agent_id)
    return [CustomFunctionType.from_model(row) for row in rows]
