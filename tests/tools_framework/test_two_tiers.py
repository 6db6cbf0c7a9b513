"""Two tiers: nothing the API server loads can reach the decrypting path or LiveKit Agents."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "core.security.unsealing",
    "core.tools.loader",
    "core.tools.http_functions",
    "core.tools.revocations",
    "core.security.key_rotation",
    "livekit.agents",
)

PROBE = """
import importlib, json, pkgutil, sys
from core.settings import Settings
import graphql_api, webhooks
from graphql_api.app import create_app

create_app(Settings())
imported = []
for package in (graphql_api, webhooks):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"imported": imported, "modules": sorted(sys.modules)}))
"""


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


def test_the_api_process_never_loads_the_worker_side_modules(tmp_path):
    # given: a fresh interpreter that builds the app and imports every API and webhook module
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "TEST_"))
    }
    environment.update(
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=f"sqlite://{tmp_path / 'unused.sqlite3'}",
    )
    # when
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "graphql_api.tools.mutations.agent_tool_configure" in report["imported"]
    assert "webhooks.oauth_google" in report["imported"]
    assert "core.security.sealing" in report["modules"]  # the API seals, it just never unseals
    assert [module for module in report["modules"] if _forbidden(module)] == []


def test_no_api_or_webhook_source_imports_the_worker_side_modules():
    # given
    offenders = []
    files = sorted([*(ROOT / "graphql_api").rglob("*.py"), *(ROOT / "webhooks").rglob("*.py")])
    assert len(files) > 20
    # when
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Call) and getattr(
                node.func, "attr", getattr(node.func, "id", None)
            ) in ("import_module", "__import__"):
                names = [
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
            else:
                continue
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if _forbidden(name)]
    # then
    assert offenders == []
