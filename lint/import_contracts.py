"""import-linter contract types of our own (registered in pyproject.toml).

import-linter's `forbidden` contract accepts external packages only by their top
name, and grimp records every `livekit.*` import as `livekit`: the LiveKit server
SDK (`livekit.api`, which the API uses) and LiveKit Agents (`livekit.agents`,
which only the worker may use) would look the same. This contract reads the
import statements of the modules that import such a package.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any, cast

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.imports import Module


class ForbiddenExternalSubmodulesContract(Contract):
    """No module in `source_modules` imports one of `forbidden_modules`, external dotted names
    such as `livekit.agents` (their submodules included).

    Only direct imports are read: an indirect one through our own packages is the layers
    contract's to refuse (a transport is never imported from below), and external packages
    are not analysed.
    """

    source_modules = fields.ListField(subfield=fields.ModuleField())
    forbidden_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        # Contract.__init__ replaces each field declared above with its parsed value.
        forbidden = [str(name) for name in cast(list[str], self.forbidden_modules)]
        tops = {name.split(".")[0] for name in forbidden} & graph.modules
        violations: list[dict[str, Any]] = []
        for source in cast(list[Module], self.source_modules):
            modules = {source.name} | graph.find_descendants(source.name)
            for importer in sorted(modules):
                if not any(
                    graph.direct_import_exists(importer=importer, imported=top) for top in tops
                ):
                    continue
                for name, line in _imported_names(importer):
                    if any(name == banned or name.startswith(banned + ".") for banned in forbidden):
                        violations.append({"importer": importer, "imported": name, "line": line})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(
                f"{violation['importer']} is not allowed to import {violation['imported']} "
                f"(l. {violation['line']})",
                bold=False,
            )
            output.new_line()


def _imported_names(module: str) -> list[tuple[str, int]]:
    """Every dotted name the module's import statements name, with its line."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return []
    tree = ast.parse(Path(spec.origin).read_text(), filename=spec.origin)
    names: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.module, node.lineno))
            names += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return names
