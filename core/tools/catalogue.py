"""The platform's tools as data: what `platform_tools` stores and the API reads.

The tool classes themselves (their `@function_tool` actions) live under
worker/tools/ and import LiveKit Agents; the worker describes them with these
plain types, and `voiceagents tools sync` stores the descriptions, so the API
serves tool names and function schemas without importing the worker's stack.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class AuthType(enum.StrEnum):
    NONE = "none"
    API_KEY = "api_key"
    OAUTH2 = "oauth2"


@dataclass(frozen=True)
class FunctionSpec:
    """One function of a tool, as the model is offered it."""

    name: str
    description: str
    parameters: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


@dataclass(frozen=True)
class ToolDefinition:
    """One tool of the code, as `platform_tools` stores it."""

    name: str
    display_name: str
    description: str
    auth_type: AuthType
    # For OAuth2: {"provider": "google", "scopes": [...]}.
    auth_config: Mapping[str, Any]
    config_schema: Mapping[str, Any]
    secret_config_schema: Mapping[str, Any]
    functions: tuple[FunctionSpec, ...]
