"""The registry: tools found by introspection, schemas built by LiveKit, bad tools refused."""

from __future__ import annotations

import sys
import textwrap

import pytest
from livekit.agents.llm.utils import build_legacy_openai_schema

from tests.support.factories import unique_name
from tests.tools_framework.helpers import CALENDAR_FUNCTIONS, UNDOCUMENTED_TOOL, UNIMPORTABLE_TOOL
from worker.tools.implementations.google_calendar import GoogleCalendarTool
from worker.tools.registry import ToolDefinitionError, discover

GOOD_TOOL = '''
from livekit.agents import RunContext, function_tool
from worker.tools.base import BaseTool


class {cls}(BaseTool):
    name = "{name}"
    display_name = "{cls}"
    description = "A tool for the registry tests."

    @function_tool
    async def {function}(self, ctx: RunContext, city: str) -> str:
        """Say something about a city.

        Args:
            city: The city's name.
        """
        return city
'''

NO_ACTIONS_TOOL = """
from worker.tools.base import BaseTool


class Idle(BaseTool):
    name = "idle_tool"
    display_name = "Idle"
    description = "Has nothing to do."
"""

BAD_SCHEMA_TOOL = '''
from livekit.agents import RunContext, function_tool
from worker.tools.base import BaseTool


class Broken(BaseTool):
    name = "broken_schema_tool"
    display_name = "Broken"
    description = "Its config schema is not a schema."
    config_schema = {"type": "no-such-type"}

    @function_tool
    async def broken_action(self, ctx: RunContext) -> str:
        """Do nothing."""
        return "ok"
'''

NAMELESS_TOOL = '''
from livekit.agents import RunContext, function_tool
from worker.tools.base import BaseTool


class Nameless(BaseTool):
    display_name = "Nameless"
    description = "Forgot its name."

    @function_tool
    async def nameless_action(self, ctx: RunContext) -> str:
        """Do nothing."""
        return "ok"
'''

RAW_SCHEMA_TOOL = """
from livekit.agents import function_tool
from worker.tools.base import BaseTool


class Raw(BaseTool):
    name = "raw_schema_tool"
    display_name = "Raw"
    description = "Gives the model a schema of its own."

    @function_tool(raw_schema={"name": "raw_action", "description": "Do it.", "parameters": {}})
    async def raw_action(self, raw_arguments: dict) -> str:
        return "ok"
"""


@pytest.fixture
def temp_package(tmp_path, monkeypatch):
    """Write tool modules into a fresh importable package; yields (write, package name)."""
    package = unique_name("zz_tools")
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(module: str, source: str) -> None:
        (tmp_path / package / f"{module}.py").write_text(textwrap.dedent(source))

    yield write, package
    for name in [name for name in sys.modules if name.split(".")[0] == package]:
        del sys.modules[name]


def test_discover_finds_google_calendar_with_livekit_built_schemas():
    # when
    specs = discover()
    # then
    spec = specs["google_calendar"]
    assert spec.tool_class is GoogleCalendarTool
    assert [function.name for function in spec.functions] == CALENDAR_FUNCTIONS
    # Exactly what LiveKit's own builder gives the model for each bound action.
    built = {
        schema["name"]: schema
        for schema in (
            build_legacy_openai_schema(tool, internally_tagged=True)
            for tool in GoogleCalendarTool().function_tools()
        )
    }
    for function in spec.functions:
        assert function.parameters == built[function.name]["parameters"]
        assert function.description == built[function.name]["description"].strip()


def test_docstrings_become_descriptions_and_run_context_is_left_out():
    # when
    functions = {f.name: f for f in discover()["google_calendar"].functions}
    # then
    check = functions["calendar_check_availability"]
    assert check.description == "Find free appointment times on one day, within business hours."
    assert set(check.parameters["properties"]) == {"day", "duration_minutes"}
    assert check.parameters["required"] == ["day"]
    day = check.parameters["properties"]["day"]
    assert day["description"] == "The day to check, as YYYY-MM-DD."
    assert check.parameters["properties"]["duration_minutes"]["description"] == (
        "How long the appointment is; the calendar's default if omitted."
    )
    create = functions["calendar_create_event"]
    assert create.parameters["required"] == ["start", "caller_name"]
    assert create.parameters["properties"]["caller_name"]["description"] == (
        "The caller's full name, as they said it."
    )
    for function in functions.values():
        assert "ctx" not in function.parameters["properties"]
        assert "Args:" not in function.description
        assert "RunContext" not in str(function.parameters)


def test_discover_of_a_package_lists_each_tool_class(temp_package):
    # given
    write, package = temp_package
    write("weather", GOOD_TOOL.format(cls="Weather", name="weather", function="weather_now"))
    write("tides", GOOD_TOOL.format(cls="Tides", name="tides", function="tides_now"))
    write("_private_helpers", "VALUE = 1\n")
    # when
    specs = discover(package)
    # then
    assert sorted(specs) == ["tides", "weather"]
    (function,) = specs["weather"].functions
    assert function.name == "weather_now"
    assert function.description == "Say something about a city."
    assert function.parameters["properties"]["city"]["description"] == "The city's name."


def test_two_tools_with_the_same_function_name_are_refused(temp_package):
    # given
    write, package = temp_package
    write("first", GOOD_TOOL.format(cls="First", name="first_tool", function="shared_name"))
    write("second", GOOD_TOOL.format(cls="Second", name="second_tool", function="shared_name"))
    # when
    with pytest.raises(ToolDefinitionError) as refused:
        discover(package)
    # then
    assert str(refused.value) == (
        "function 'shared_name' of 'second_tool' is already defined by 'first_tool'; "
        "the model needs unique names"
    )


def test_two_tools_with_the_same_name_are_refused(temp_package):
    # given
    write, package = temp_package
    write("one", GOOD_TOOL.format(cls="One", name="twin", function="one_action"))
    write("two", GOOD_TOOL.format(cls="Two", name="twin", function="two_action"))
    # when
    with pytest.raises(ToolDefinitionError) as refused:
        discover(package)
    # then
    assert str(refused.value) == "two tools are named 'twin'"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (UNDOCUMENTED_TOOL, ".mute.Mute: mute_action needs a docstring"),
        (NO_ACTIONS_TOOL, ".idle.Idle has no @function_tool methods"),
        (BAD_SCHEMA_TOOL, ".broken.Broken.config_schema is not a JSON schema"),
        (NAMELESS_TOOL, ".nameless.Nameless must define `name` as a string"),
        (RAW_SCHEMA_TOOL, ".raw.Raw: raw_action has a raw schema"),
    ],
    ids=["no-docstring", "no-actions", "bad-config-schema", "no-name", "raw-schema"],
)
def test_a_malformed_tool_is_refused_with_a_message_naming_it(temp_package, source, message):
    # given
    write, package = temp_package
    module = message.split(".")[1]
    write(module, source)
    # when
    with pytest.raises(ToolDefinitionError) as refused:
        discover(package)
    # then
    assert str(refused.value).startswith(f"{package}{message}")
    assert "\n" not in str(refused.value)


def test_a_tool_module_that_does_not_import_is_refused_as_a_tool_error(temp_package):
    # given
    write, package = temp_package
    write("fine", GOOD_TOOL.format(cls="Fine", name="fine", function="fine_action"))
    write("unimportable", UNIMPORTABLE_TOOL)
    # when
    with pytest.raises(ToolDefinitionError) as refused:
        discover(package)
    # then
    assert f"{package}.unimportable" in str(refused.value)
    assert "a_module_that_does_not_exist_anywhere" in str(refused.value)
