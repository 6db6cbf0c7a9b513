"""The import contracts of pyproject.toml (`make lint` runs them with lint-imports)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Every test here runs lint-imports as a child process.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# A project of one package whose modules import the LiveKit SDKs in every form.
CONFIG = """
[importlinter]
root_package = zz_app
include_external_packages = True
contract_types =
    forbidden_external_submodules: lint.import_contracts.ForbiddenExternalSubmodulesContract

[importlinter:contract:agents]
name = No LiveKit Agents
type = forbidden_external_submodules
source_modules =
    zz_app
forbidden_modules =
    livekit.agents
"""
MODULES = {
    "server_sdk": "from livekit import api\n",
    "server_sdk_submodule": "import livekit.api\n",
    "agents_imported": "from livekit.agents import Agent\n",
    "agents_from_the_namespace": "from livekit import (\n    api,\n    agents,\n)\n",
    "agents_inside_a_function": "def later():\n    import livekit.agents.llm\n",
}


def lint_imports(
    cwd: Path, *arguments: str, python_path: str = str(ROOT)
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *arguments],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": python_path, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_projects_import_contracts_are_kept():
    # when
    result = lint_imports(ROOT)

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_livekit_agents_is_refused_in_every_form_and_the_server_sdk_is_not(tmp_path):
    # given: a package importing the server SDK (allowed) and LiveKit Agents (refused)
    package = tmp_path / "zz_app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in MODULES.items():
        (package / f"{module}.py").write_text(source)
    (tmp_path / "contracts.ini").write_text(CONFIG)

    # when
    result = lint_imports(tmp_path, "--config", "contracts.ini", python_path=f"{ROOT}:{tmp_path}")

    # then
    assert result.returncode == 1, result.stdout + result.stderr
    refused = {
        line.split(" is not allowed to import ")[0].strip()
        for line in result.stdout.splitlines()
        if " is not allowed to import livekit.agents" in line
    }
    assert refused == {
        "zz_app.agents_imported",
        "zz_app.agents_from_the_namespace",
        "zz_app.agents_inside_a_function",
    }
