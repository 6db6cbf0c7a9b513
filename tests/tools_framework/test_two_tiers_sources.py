"""Two tiers, read from the sources: no API or webhook module imports the worker side.

(The same rule, checked in a running API process: test_two_tiers.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.tools_framework.helpers import is_worker_side

ROOT = Path(__file__).resolve().parents[2]


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
            offenders += [
                f"{path.relative_to(ROOT)}: {name}" for name in names if is_worker_side(name)
            ]
    # then
    assert offenders == []
