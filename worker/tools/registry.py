"""Discovers every tool class in worker/tools/implementations/, with no list to edit.

Function schemas come from LiveKit's own builder, so what is stored in
`platform_tools.tool_functions_schema` is exactly what the model is offered.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from jsonschema import Draft202012Validator
from livekit.agents.llm import FunctionTool
from livekit.agents.llm.utils import build_legacy_openai_schema

from core.tools.catalogue import FunctionSpec, ToolDefinition
from worker.tools.base import BaseTool

IMPLEMENTATIONS_PACKAGE = "worker.tools.implementations"


class ToolDefinitionError(Exception):
    """A tool class is malformed; the message names the class and the problem."""


@dataclass(frozen=True)
class ToolSpec:
    tool_class: type[BaseTool]
    functions: tuple[FunctionSpec, ...]

    @property
    def name(self) -> str:
        return self.tool_class.name

    @property
    def function_names(self) -> set[str]:
        return {function.name for function in self.functions}

    @property
    def definition(self) -> ToolDefinition:
        """The tool as data, for platform_tools."""
        tool = self.tool_class
        return ToolDefinition(
            name=tool.name,
            display_name=tool.display_name,
            description=tool.description,
            auth_type=tool.auth_type,
            auth_config=tool.auth_config,
            config_schema=tool.config_schema,
            secret_config_schema=tool.secret_config_schema,
            functions=self.functions,
        )


def discover(package: str = IMPLEMENTATIONS_PACKAGE) -> dict[str, ToolSpec]:
    """Every BaseTool subclass defined in the package's modules, by tool name."""
    specs: dict[str, ToolSpec] = {}
    owner_of_function: dict[str, str] = {}
    for module in _modules(package):
        for tool_class in _tool_classes(module):
            spec = describe(tool_class)
            if spec.name in specs:
                raise ToolDefinitionError(f"two tools are named {spec.name!r}")
            for function in spec.functions:
                if function.name in owner_of_function:
                    raise ToolDefinitionError(
                        f"function {function.name!r} of {spec.name!r} is already defined by "
                        f"{owner_of_function[function.name]!r}; the model needs unique names"
                    )
                owner_of_function[function.name] = spec.name
            specs[spec.name] = spec
    return specs


def describe(tool_class: type[BaseTool]) -> ToolSpec:
    """A tool class's functions and their JSON schemas, checked."""
    where = f"{tool_class.__module__}.{tool_class.__qualname__}"
    for attribute in ("name", "display_name", "description"):
        if not isinstance(getattr(tool_class, attribute, None), str):
            raise ToolDefinitionError(f"{where} must define `{attribute}` as a string")
    for attribute in ("config_schema", "secret_config_schema"):
        try:
            Draft202012Validator.check_schema(getattr(tool_class, attribute))
        except Exception as error:
            # SchemaError's str() spans many lines; the CLI prints one.
            reason = getattr(error, "message", None) or str(error).splitlines()[0]
            raise ToolDefinitionError(
                f"{where}.{attribute} is not a JSON schema: {reason}"
            ) from None
    functions = []
    for tool in tool_class().function_tools():
        # The model's schema is built from the signature and docstring; a raw-schema tool has
        # neither.
        if not isinstance(tool, FunctionTool):
            raise ToolDefinitionError(
                f"{where}: {tool.info.name} has a raw schema; use @function_tool with a "
                "signature and a docstring"
            )
        schema = build_legacy_openai_schema(tool, internally_tagged=True)
        if not schema.get("description"):
            raise ToolDefinitionError(f"{where}: {schema['name']} needs a docstring")
        functions.append(
            FunctionSpec(
                name=schema["name"],
                description=schema["description"].strip(),
                parameters=schema["parameters"],
            )
        )
    if not functions:
        raise ToolDefinitionError(f"{where} has no @function_tool methods")
    return ToolSpec(tool_class=tool_class, functions=tuple(sorted(functions, key=lambda f: f.name)))


def _modules(package: str) -> list[ModuleType]:
    root = importlib.import_module(package)
    importlib.invalidate_caches()
    modules = []
    for info in pkgutil.iter_modules(root.__path__):
        if info.name.startswith("_"):
            continue
        try:
            modules.append(importlib.import_module(f"{package}.{info.name}"))
        except Exception as error:
            # A tool file that does not import is a malformed tool: say which, in one line.
            reason = str(error).splitlines()[0] if str(error) else ""
            raise ToolDefinitionError(
                f"{package}.{info.name} does not import: {type(error).__name__}: {reason}"
            ) from error
    return modules


def _tool_classes(module: ModuleType) -> list[type[BaseTool]]:
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, BaseTool)
        and value is not BaseTool
        and value.__module__ == module.__name__
        and not inspect.isabstract(value)
    ]
