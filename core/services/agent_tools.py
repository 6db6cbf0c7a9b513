"""Tools on agents, API side: safe views only.

This module seals secrets but never unseals them; what the dashboard shows
about secrets (which fields are set, which account is connected) is kept in
plain columns. The worker-side loader (core/tools/loader.py) is the only
reader of sealed values.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import FieldError, ServiceError
from core.security.sealing import SealContext, seal
from core.services.tool_config import config_problems, secret_problems
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool, PlatformTool, TokenRevocation, VoiceAgent

AGENT_TOOLS_TABLE = "agent_tools"
SENSITIVE_COLUMN = "sensitive_config"


class AgentToolErrorCode(enum.Enum):
    TOOL_NOT_FOUND = "tool_not_found"
    TOOL_INACTIVE = "tool_inactive"
    ALREADY_CONFIGURED = "already_configured"
    INVALID_CONFIG = "invalid_config"
    INVALID_SECRET_CONFIG = "invalid_secret_config"
    UNKNOWN_FUNCTION = "unknown_function"
    NOT_OAUTH_TOOL = "not_oauth_tool"
    OAUTH_NOT_CONFIGURED = "oauth_not_configured"
    # Connecting an account binds the flow to a browser cookie: it needs an HTTP response.
    BROWSER_REQUIRED = "browser_required"


def seal_context(agent_tool: AgentTool) -> SealContext:
    return SealContext(
        table=AGENT_TOOLS_TABLE,
        row_id=agent_tool.id,
        organization_id=agent_tool.organization_id,  # type: ignore[attr-defined]
        column=SENSITIVE_COLUMN,
    )


def revocation_seal_context(revocation: TokenRevocation) -> SealContext:
    """A queued revocation keeps the tokens sealed as they were on their agent tool's row."""
    return SealContext(
        table=revocation.sealed_table,
        row_id=revocation.sealed_row_id,
        organization_id=revocation.organization_id,  # type: ignore[attr-defined]
        column=SENSITIVE_COLUMN,
    )


async def get_platform_tools(*, only_active: bool | None) -> list[PlatformTool]:
    """The platform's tools by name; `only_active` hides inactive and retired ones."""
    query = PlatformTool.all()
    if only_active:
        query = query.filter(is_active=True, is_available=True)
    return await query.order_by("name")


async def update_platform_tool(
    *, tool: PlatformTool, is_active: bool | None, description: str | None
) -> PlatformTool:
    """Switch a tool on or off platform-wide, or reword it (platform admins)."""
    if is_active is not None:
        tool.is_active = is_active
    if description is not None:
        tool.custom_description = description.strip() or None
    await tool.save(update_fields=["is_active", "custom_description", "updated_at"])
    return tool


async def get_for_agent(*, agent: VoiceAgent) -> list[AgentTool]:
    """The tools configured on an agent, with their platform tool."""
    return await AgentTool.filter(agent_id=agent.id).select_related("tool").order_by("created_at")


async def configure(
    *,
    agent: VoiceAgent,
    tool_id: uuid.UUID,
    config: dict[str, Any],
    enabled: bool,
    disabled_functions: list[str],
    secret_config: dict[str, Any] | None,
    settings: Settings,
) -> AgentTool:
    """Add a tool to an agent with a validated config."""
    tool = await PlatformTool.get_or_none(id=tool_id)
    if tool is None:
        raise ServiceError.single(AgentToolErrorCode.TOOL_NOT_FOUND, "No such tool.", "toolId")
    if not (tool.is_active and tool.is_available):
        raise ServiceError.single(
            AgentToolErrorCode.TOOL_INACTIVE, "This tool is not available now.", "toolId"
        )
    _validate(
        tool, config=config, disabled_functions=disabled_functions, secret_config=secret_config
    )
    try:
        async with in_transaction():
            agent_tool = await AgentTool.create(
                organization_id=agent.organization_id,  # type: ignore[attr-defined]
                agent=agent,
                tool=tool,
                config=config,
                is_enabled=enabled,
                unselected_functions=sorted(set(disabled_functions)),
            )
            if secret_config:
                await _store_secrets(agent_tool, secret_config, settings=settings)
    except IntegrityError as error:
        raise ServiceError.single(
            AgentToolErrorCode.ALREADY_CONFIGURED,
            "This tool is already on the agent; update it instead.",
            "toolId",
        ) from error
    agent_tool.tool = tool
    return agent_tool


async def update(
    *,
    agent_tool: AgentTool,
    config: dict[str, Any] | None,
    enabled: bool | None,
    disabled_functions: list[str] | None,
    secret_config: dict[str, Any] | None,
    settings: Settings,
) -> AgentTool:
    """Change an agent tool's config, switch, functions or secrets; omitted parts stay."""
    tool: PlatformTool = agent_tool.tool
    _validate(
        tool,
        config=agent_tool.config if config is None else config,
        disabled_functions=[] if disabled_functions is None else disabled_functions,
        secret_config=secret_config,
    )
    async with in_transaction():
        if config is not None:
            agent_tool.config = config
        if enabled is not None:
            agent_tool.is_enabled = enabled
        if disabled_functions is not None:
            agent_tool.unselected_functions = sorted(set(disabled_functions))
        await agent_tool.save()
        if secret_config:
            await _store_secrets(agent_tool, secret_config, settings=settings)
    return agent_tool


async def remove(*, agent_tool: AgentTool) -> None:
    """Take a tool off an agent; a connected OAuth grant is revoked."""
    async with in_transaction():
        await _queue_revocation(agent_tool)
        await agent_tool.delete()


async def queue_revocations(*, agent: VoiceAgent) -> None:
    """Queue revocation of every OAuth grant of the agent's tools (the agent is going)."""
    for agent_tool in await AgentTool.filter(agent_id=agent.id).select_related("tool"):
        await _queue_revocation(agent_tool)


async def disconnect(*, agent_tool: AgentTool) -> AgentTool:
    """Forget an OAuth connection; the grant is revoked at the provider in the background."""
    if agent_tool.tool.auth_type != "oauth2":
        raise ServiceError.single(
            AgentToolErrorCode.NOT_OAUTH_TOOL, "This tool does not connect an account."
        )
    async with in_transaction():
        await _queue_revocation(agent_tool)
        agent_tool.sensitive_config = None
        agent_tool.secret_fields_set = []
        agent_tool.oauth_account = None
        agent_tool.oauth_connected_at = None
        agent_tool.oauth_expires_at = None
        agent_tool.needs_reconnect = False
        agent_tool.reconnect_reason = None
        await agent_tool.save()
    return agent_tool


async def store_oauth_tokens(
    *, agent_tool: AgentTool, tokens: dict[str, Any], account: str | None, settings: Settings
) -> AgentTool:
    """Seal freshly granted OAuth tokens on the agent tool (the OAuth callback)."""
    async with in_transaction():
        await _queue_revocation(agent_tool)  # a grant being replaced is revoked
        await _store_secrets(agent_tool, tokens, settings=settings)
        agent_tool.oauth_account = account
        agent_tool.oauth_connected_at = datetime.now(UTC)
        expires_at = tokens.get("expires_at")
        agent_tool.oauth_expires_at = (
            datetime.fromtimestamp(int(expires_at), UTC) if expires_at else None
        )
        agent_tool.needs_reconnect = False
        agent_tool.reconnect_reason = None
        await agent_tool.save()
    return agent_tool


def function_states(agent_tool: AgentTool) -> tuple[list[tuple[dict[str, Any], bool]], list[str]]:
    """([(function schema, enabled)], stale names): stale = disabled names the code lost."""
    functions = list(agent_tool.tool.tool_functions_schema or [])
    disabled = set(agent_tool.unselected_functions or [])
    known = {function["name"] for function in functions}
    return [(f, f["name"] not in disabled) for f in functions], sorted(disabled - known)


def _validate(
    tool: PlatformTool,
    *,
    config: dict[str, Any],
    disabled_functions: list[str],
    secret_config: dict[str, Any] | None,
) -> None:
    problems: list[FieldError] = []
    for message in config_problems(config, tool.config_schema or {}):
        problems.append(FieldError("config", message, AgentToolErrorCode.INVALID_CONFIG))
    known = {function["name"] for function in tool.tool_functions_schema or []}
    for name in sorted(set(disabled_functions) - known):
        problems.append(
            FieldError(
                "disabledFunctions",
                f"{tool.name} has no function {name!r}.",
                AgentToolErrorCode.UNKNOWN_FUNCTION,
            )
        )
    if secret_config:
        if tool.auth_type == "oauth2":
            problems.append(
                FieldError(
                    "secretConfig",
                    "Connect this tool's account instead.",
                    AgentToolErrorCode.INVALID_SECRET_CONFIG,
                )
            )
        else:
            for message in secret_problems(secret_config, tool.secret_config_schema or {}):
                problems.append(
                    FieldError("secretConfig", message, AgentToolErrorCode.INVALID_SECRET_CONFIG)
                )
    if problems:
        raise ServiceError(*problems)


async def _store_secrets(
    agent_tool: AgentTool, secrets: dict[str, Any], *, settings: Settings
) -> None:
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    agent_tool.sensitive_config = seal(secrets, context=seal_context(agent_tool), keys=keys)
    agent_tool.secret_fields_set = sorted(secrets)
    # Fresh secrets replace whatever could not be read before.
    agent_tool.needs_reconnect = False
    agent_tool.reconnect_reason = None
    await agent_tool.save(
        update_fields=[
            "sensitive_config",
            "secret_fields_set",
            "needs_reconnect",
            "reconnect_reason",
            "updated_at",
        ]
    )


async def _queue_revocation(agent_tool: AgentTool) -> None:
    tool: PlatformTool = agent_tool.tool
    if tool.auth_type != "oauth2" or not agent_tool.sensitive_config:
        return
    await TokenRevocation.create(
        organization_id=agent_tool.organization_id,  # type: ignore[attr-defined]
        provider=str((tool.auth_config or {}).get("provider", "unknown")),
        sealed_tokens=agent_tool.sensitive_config,
        sealed_table=AGENT_TOOLS_TABLE,
        sealed_row_id=agent_tool.id,
        next_attempt_at=datetime.now(UTC),
    )
