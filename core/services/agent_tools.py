"""Tools on agents, API side: safe views only.

This module seals secrets but never unseals them; what the dashboard shows
about secrets (which fields are set, which account is connected) is kept in
plain columns. The worker-side loader (worker/tools/loader.py) is the only
reader of sealed values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import DescribedEnum, FieldError, ServiceError
from core.inputs import UNSET, Changes, Maybe
from core.security.sealing import SealContext, seal
from core.services.tool_config import config_problems, secret_problems
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool, PlatformTool, TokenRevocation, VoiceAgent

AGENT_TOOLS_TABLE = "agent_tools"
SENSITIVE_COLUMN = "sensitive_config"


class AgentToolErrorCode(DescribedEnum):
    TOOL_NOT_FOUND = "tool_not_found", "`toolId` names no platform tool."
    TOOL_INACTIVE = (
        "tool_inactive",
        "The tool is not offered now: switched off, or gone from the platform "
        "(`PlatformTool.isActive` is false).",
    )
    ALREADY_CONFIGURED = (
        "already_configured",
        "The agent has this tool already; change it with `agentToolUpdate`.",
    )
    INVALID_CONFIG = (
        "invalid_config",
        "`config` is not a JSON object matching the tool's `configSchema` (the message says "
        "where).",
    )
    INVALID_SECRET_CONFIG = (
        "invalid_secret_config",
        "`secretConfig` does not match the tool's `secretConfigSchema`, or the tool connects "
        "an account instead.",
    )
    UNKNOWN_FUNCTION = (
        "unknown_function",
        "`disabledFunctions` names a function the tool does not have.",
    )
    NOT_OAUTH_TOOL = (
        "not_oauth_tool",
        "The tool does not connect an account (its `authType` is not OAUTH2).",
    )
    OAUTH_NOT_CONFIGURED = (
        "oauth_not_configured",
        "This platform has no OAuth client for the tool's provider configured.",
    )
    # Connecting an account binds the flow to a browser cookie: it needs an HTTP response.
    BROWSER_REQUIRED = (
        "browser_required",
        "Sent over WebSocket: start connecting an account over HTTP, from the browser that "
        "will open the link.",
    )


@dataclass(frozen=True, kw_only=True)
class AgentToolSetup:
    """A tool being added to an agent."""

    tool_id: uuid.UUID
    config: dict[str, Any]  # checked against the tool's config schema
    enabled: bool = True
    disabled_functions: list[str] = field(default_factory=list)
    # API-key tools only; sealed, never shown again.
    secret_config: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class AgentToolChanges(Changes):
    """Changes to a tool on an agent: the fields given change, the UNSET ones stay."""

    config: Maybe[dict[str, Any]] = UNSET
    enabled: Maybe[bool] = UNSET
    disabled_functions: Maybe[list[str]] = UNSET
    # Replaces the secrets that are set; API-key tools only.
    secret_config: Maybe[dict[str, Any]] = UNSET


@dataclass(frozen=True, kw_only=True)
class PlatformToolChanges(Changes):
    """Changes to a platform tool (platform admins): the fields given change."""

    is_active: Maybe[bool] = UNSET
    # Shown instead of the code's description; empty restores the code's.
    description: Maybe[str] = UNSET


def seal_context(agent_tool: AgentTool) -> SealContext:
    return SealContext(
        table=AGENT_TOOLS_TABLE,
        row_id=agent_tool.id,
        organization_id=agent_tool.organization_id,
        column=SENSITIVE_COLUMN,
    )


def revocation_seal_context(revocation: TokenRevocation) -> SealContext:
    """A queued revocation keeps the tokens sealed as they were on their agent tool's row."""
    return SealContext(
        table=revocation.sealed_table,
        row_id=revocation.sealed_row_id,
        organization_id=revocation.organization_id,
        column=SENSITIVE_COLUMN,
    )


async def get_platform_tools(*, only_active: bool | None) -> list[PlatformTool]:
    """The platform's tools by name; `only_active` hides inactive and retired ones."""
    query = PlatformTool.all()
    if only_active:
        query = query.filter(is_active=True, is_available=True)
    return await query.order_by("name")


async def update_platform_tool(*, tool: PlatformTool, changes: PlatformToolChanges) -> PlatformTool:
    """Switch a tool on or off platform-wide, or reword it (platform admins)."""
    if changes.is_active is not UNSET:
        tool.is_active = bool(changes.is_active)
    if changes.description is not UNSET:
        tool.custom_description = changes.description.strip() or None
    await tool.save(update_fields=["is_active", "custom_description", "updated_at"])
    return tool


async def get_for_agent(*, agent: VoiceAgent) -> list[AgentTool]:
    """The tools configured on an agent, with their platform tool."""
    return await AgentTool.filter(agent_id=agent.id).select_related("tool").order_by("created_at")


async def configure(*, agent: VoiceAgent, setup: AgentToolSetup, settings: Settings) -> AgentTool:
    """Add a tool to an agent with a validated config."""
    tool = await PlatformTool.get_or_none(id=setup.tool_id)
    if tool is None:
        raise tool_not_found()
    if not (tool.is_active and tool.is_available):
        raise ServiceError.single(
            AgentToolErrorCode.TOOL_INACTIVE, "This tool is not available now.", "tool_id"
        )
    _validate(
        tool,
        config=setup.config,
        disabled_functions=setup.disabled_functions,
        secret_config=setup.secret_config,
    )
    try:
        async with in_transaction():
            agent_tool = await AgentTool.create(
                organization_id=agent.organization_id,
                agent=agent,
                tool=tool,
                config=setup.config,
                is_enabled=setup.enabled,
                unselected_functions=sorted(set(setup.disabled_functions)),
            )
            if setup.secret_config:
                await _store_secrets(agent_tool, setup.secret_config, settings=settings)
    except IntegrityError as error:
        raise ServiceError.single(
            AgentToolErrorCode.ALREADY_CONFIGURED,
            "This tool is already on the agent; update it instead.",
            "tool_id",
        ) from error
    agent_tool.tool = tool
    return agent_tool


def tool_not_found() -> ServiceError:
    """The answer for a tool id that names no platform tool."""
    return ServiceError.single(AgentToolErrorCode.TOOL_NOT_FOUND, "No such tool.", "tool_id")


async def update(
    *, agent_tool: AgentTool, changes: AgentToolChanges, settings: Settings
) -> AgentTool:
    """Change an agent tool's config, switch, functions or secrets; omitted parts stay."""
    tool: PlatformTool = agent_tool.tool
    _validate(
        tool,
        config=agent_tool.config if changes.config is UNSET else changes.config,
        disabled_functions=[]
        if changes.disabled_functions is UNSET
        else changes.disabled_functions,
        secret_config=None if changes.secret_config is UNSET else changes.secret_config,
    )
    async with in_transaction():
        if changes.config is not UNSET:
            agent_tool.config = changes.config
        if changes.enabled is not UNSET:
            agent_tool.is_enabled = changes.enabled
        if changes.disabled_functions is not UNSET:
            agent_tool.unselected_functions = sorted(set(changes.disabled_functions))
        await agent_tool.save()
        if changes.secret_config is not UNSET and changes.secret_config:
            await _store_secrets(agent_tool, changes.secret_config, settings=settings)
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
    config: Any,
    disabled_functions: list[str],
    secret_config: Any,
) -> None:
    problems: list[FieldError] = []
    # The types promise objects; a transport's JSON may still carry anything.
    if not isinstance(config, dict):
        problems.append(
            FieldError("config", "Give a JSON object.", AgentToolErrorCode.INVALID_CONFIG)
        )
    else:
        for message in config_problems(config, tool.config_schema or {}):
            problems.append(FieldError("config", message, AgentToolErrorCode.INVALID_CONFIG))
    known = {function["name"] for function in tool.tool_functions_schema or []}
    for name in sorted(set(disabled_functions) - known):
        problems.append(
            FieldError(
                "disabled_functions",
                f"{tool.name} has no function {name!r}.",
                AgentToolErrorCode.UNKNOWN_FUNCTION,
            )
        )
    if secret_config is not None and not isinstance(secret_config, dict):
        problems.append(
            FieldError(
                "secret_config", "Give a JSON object.", AgentToolErrorCode.INVALID_SECRET_CONFIG
            )
        )
    elif secret_config:
        if tool.auth_type == "oauth2":
            problems.append(
                FieldError(
                    "secret_config",
                    "Connect this tool's account instead.",
                    AgentToolErrorCode.INVALID_SECRET_CONFIG,
                )
            )
        else:
            for message in secret_problems(secret_config, tool.secret_config_schema or {}):
                problems.append(
                    FieldError("secret_config", message, AgentToolErrorCode.INVALID_SECRET_CONFIG)
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
        organization_id=agent_tool.organization_id,
        provider=str((tool.auth_config or {}).get("provider", "unknown")),
        sealed_tokens=agent_tool.sensitive_config,
        sealed_table=AGENT_TOOLS_TABLE,
        sealed_row_id=agent_tool.id,
        next_attempt_at=datetime.now(UTC),
    )
