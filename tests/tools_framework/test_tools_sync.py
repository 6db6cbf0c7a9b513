"""`voiceagents tools sync`: a new tool file shows up in platformTools with no other edit."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orm.models import PlatformTool
from tests.support.factories import unique_name
from tests.support.operations import (
    PLATFORM_TOOL_UPDATE,
    PLATFORM_TOOLS,
)
from tests.tools_framework.helpers import (
    UNDOCUMENTED_TOOL,
    UNIMPORTABLE_TOOL,
)
from worker.tools.sync import sync_code_tools

# Every test here runs the real command in a child process.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

NEW_TOOL = '''"""Written by tests/tools_framework/test_tools_sync.py and deleted right after."""

from livekit.agents import RunContext, function_tool

from worker.tools.base import BaseTool
from worker.tools.runtime import CallSession


class ZzWeatherTool(BaseTool):
    name = "{tool}"
    display_name = "Weather (test)"
    description = "Tells the caller the weather."
    config_schema = {{
        "type": "object",
        "properties": {{"units": {{"enum": ["metric", "imperial"]}}}},
        "additionalProperties": False,
    }}

    @function_tool
    async def {function}(self, ctx: RunContext[CallSession], city: str, days: int = 1) -> str:
        """Tell the weather forecast for a city.

        Args:
            city: The city the caller asks about.
            days: How many days ahead, 1 to 7.
        """
        return f"Sunny in {{city}}."
'''


async def run_sync(database_url: str, worker_copy: Path) -> tuple[int, str, str]:
    """The real command in its own process, against the test server's database, running
    the `worker` package at `worker_copy` (so a tool file written there reaches no other
    process: the source tree is shared by every suite running on this machine)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "TEST_"))
    }
    environment.update(
        DATABASE_URL=database_url,
        PYTHONPATH=f"{worker_copy.parent}:{ROOT}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.cli",
        "tools",
        "sync",
        cwd=worker_copy.parent,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def reported(stdout: str) -> dict[str, list[str]]:
    """'tools synced: created a, b; updated -; ...' -> {'created': ['a', 'b'], ...}."""
    line = next(line for line in stdout.splitlines() if line.startswith("tools synced: "))
    out = {}
    for part in line.removeprefix("tools synced: ").split("; "):
        label, _, names = part.partition(" ")
        out[label] = [] if names == "-" else names.split(", ")
    return out


def copy_of_worker(tmp_path: Path) -> Path:
    """The project's `worker` package, copied: its tools/implementations is ours to write."""
    copy = tmp_path / "project" / "worker"
    shutil.copytree(ROOT / "worker", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def by_name(tools: list[dict], name: str) -> dict | None:
    return next((tool for tool in tools if tool["name"] == name), None)


async def test_a_new_tool_file_appears_after_sync_and_retires_when_deleted(
    gql, make, server, tmp_path
):
    # given: a tool file in worker/tools/implementations that nobody registered anywhere
    module, tool_name, function_name = "zz_weather", "zz_weather", "zz_weather_forecast"
    worker = copy_of_worker(tmp_path)
    implementations = worker / "tools" / "implementations"
    (implementations / f"{module}.py").write_text(
        NEW_TOOL.format(tool=tool_name, function=function_name)
    )
    user = await make.account()
    admin = await make.platform_admin()
    database_url = server.settings.database_url

    # when
    first = await run_sync(database_url, worker)
    listed = await gql.data(PLATFORM_TOOLS, {}, token=user.token)
    second = await run_sync(database_url, worker)
    (implementations / f"{module}.py").unlink()
    retired = await run_sync(database_url, worker)
    after = await gql.data(PLATFORM_TOOLS, {}, token=user.token)
    only_active = await gql.data(PLATFORM_TOOLS, {"onlyActive": True}, token=user.token)
    revived = await gql.data(
        PLATFORM_TOOL_UPDATE,
        {"input": {"id": by_name(after["platformTools"], tool_name)["id"], "isActive": True}},
        token=admin.token,
    )
    in_process = await sync_code_tools()

    # then: the first sync created it, and platformTools shows it with its function
    assert first[0] == 0, first
    assert tool_name in reported(first[1])["created"]
    tool = by_name(listed["platformTools"], tool_name)
    assert tool is not None
    assert tool["isActive"] is True and tool["isAvailable"] is True
    assert tool["displayName"] == "Weather (test)"
    assert tool["description"] == "Tells the caller the weather."
    assert tool["authType"] == "NONE"
    assert tool["configSchema"]["properties"] == {"units": {"enum": ["metric", "imperial"]}}
    (function,) = tool["functions"]
    assert function["name"] == function_name
    assert function["description"] == "Tell the weather forecast for a city."
    assert function["parameters"]["required"] == ["city"]
    assert function["parameters"]["properties"]["city"]["description"] == (
        "The city the caller asks about."
    )
    assert function["parameters"]["properties"]["days"]["default"] == 1
    assert "ctx" not in function["parameters"]["properties"]
    # a second run changes nothing
    assert second[0] == 0, second
    second_report = reported(second[1])
    assert tool_name in second_report["unchanged"]
    assert "google_calendar" in second_report["unchanged"]
    assert tool_name not in second_report["created"] + second_report["updated"]
    # once the file is gone, the next sync retires it; it stays listed, inactive
    assert retired[0] == 0, retired
    assert tool_name in reported(retired[1])["retired"]
    gone = by_name(after["platformTools"], tool_name)
    assert gone is not None
    assert (gone["isActive"], gone["isAvailable"]) == (False, False)
    assert by_name(only_active["platformTools"], tool_name) is None
    assert by_name(only_active["platformTools"], "google_calendar") is not None
    # an admin cannot switch a tool back on that the code no longer has
    assert revived["platformToolUpdate"]["errors"] == []
    assert revived["platformToolUpdate"]["platformTool"]["isActive"] is False
    # and syncing again does not retire it twice
    assert tool_name not in in_process.retired + in_process.created + in_process.updated
    row = await PlatformTool.get(name=tool_name)
    assert row.is_available is False


@pytest.mark.parametrize(
    ("modules", "needle"),
    [
        ({"undocumented": UNDOCUMENTED_TOOL}, "mute_action needs a docstring"),
        ({"unimportable": UNIMPORTABLE_TOOL}, "a_module_that_does_not_exist_anywhere"),
    ],
    ids=["no-docstring", "import-error"],
)
def test_a_malformed_tool_is_refused_in_one_line(tmp_path, modules, needle):
    # given: the real `voiceagents tools sync`, its discovery pointed at a temporary package
    package = unique_name("zz_cli_tools")
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    for module, source in modules.items():
        (tmp_path / package / f"{module}.py").write_text(source)
    program = (
        "import worker.tools.sync as sync, worker.tools.registry as registry, core.cli as cli\n"
        f"sync.discover = lambda: registry.discover({package!r})\n"
        "cli.main(['tools', 'sync'])\n"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{ROOT}:{tmp_path}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
    }
    # when
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("voiceagents: tools sync: ")
    assert needle in lines[0]
