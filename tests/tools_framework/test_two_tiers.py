"""Two tiers: the API process never loads the decrypting path or LiveKit Agents.

(The same rule, read from the sources: test_two_tiers_sources.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tools_framework.helpers import is_worker_side

# It builds the app in a fresh interpreter.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

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
    assert [module for module in report["modules"] if is_worker_side(module)] == []
