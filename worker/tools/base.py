"""BaseTool: what a tool class declares, and how its actions reach their runtime.

A tool is one class in one file under worker/tools/implementations/. Its actions
are `@function_tool` methods; their docstrings (with `Args:`) are what the
model reads. An action gets its config and secrets from the call's typed
userdata: `runtime = self.runtime(ctx)`, never from globals.
"""

from __future__ import annotations

from typing import Any, ClassVar

from livekit.agents import RunContext, ToolError
from livekit.agents.llm import FunctionTool, RawFunctionTool
from livekit.agents.llm.tool_context import find_function_tools

from core.tools.catalogue import AuthType
from worker.tools.runtime import CallSession, ToolRuntime, ToolUnavailable

__all__ = ["EMPTY_OBJECT_SCHEMA", "AuthType", "BaseTool"]

EMPTY_OBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {},
    "additionalProperties": False,
}


class BaseTool:
    name: ClassVar[str]
    display_name: ClassVar[str]
    description: ClassVar[str]
    auth_type: ClassVar[AuthType] = AuthType.NONE
    # For OAuth2: {"provider": "google", "scopes": [...]}.
    auth_config: ClassVar[dict[str, Any]] = {}
    config_schema: ClassVar[dict[str, Any]] = EMPTY_OBJECT_SCHEMA
    secret_config_schema: ClassVar[dict[str, Any]] = EMPTY_OBJECT_SCHEMA

    def function_tools(self) -> list[FunctionTool | RawFunctionTool]:
        """The actions, bound to this instance (what an Agent is given)."""
        return find_function_tools(self)

    def runtime(self, ctx: RunContext[CallSession]) -> ToolRuntime:
        """This tool's config and secrets on the current call."""
        try:
            return ctx.userdata.tool(self.name)
        except ToolUnavailable as error:
            raise ToolError(str(error)) from None
