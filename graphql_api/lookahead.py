"""Reading ahead: what a field's selection asks for, and what a loader already holds.

A list's items each resolve their fields one by one. A field that must wait for a loader
makes graphql-core wrap each item's answer in a task and gather them all; when the
list's resolver has loaded what its items need first (one batched read, the same one the
loader would have sent), each item's field answers at once from the loader's cache, with
no coroutine, task or await per item. `selects` tells the list's resolver whether its
items' fields ask for it; `cached` is how an item's field reads the loader without
waiting, and falls back to the loader when the value is not there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final, Literal, TypeVar

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.dataloader import DataLoader

from graphql_api.context import Info

K = TypeVar("K")
T = TypeVar("T")


class _Missing(enum.Enum):
    MISSING = "MISSING"


# An enum member, so that `value is MISSING` narrows the value's type.
MISSING: Final = _Missing.MISSING


def cached(loader: DataLoader[K, T], key: K) -> T | Literal[_Missing.MISSING]:
    """The loader's value for `key` if it has one already; MISSING otherwise (not asked
    for yet, still loading, or failed: the caller then awaits the loader as usual)."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return MISSING
    return future.result()


def selects(info: Info, *path: str) -> bool:
    """Whether the field being resolved selects `path` below it (GraphQL names, e.g.
    `selects(info, "edges", "node", "tools")`), through fragments and inline fragments.

    `@skip` and `@include` are not evaluated: a field they leave out still counts, so a
    list may load what no item then shows (one read for nothing), never the reverse.
    """
    raw = info._raw_info
    return _selects(
        [node.selection_set for node in raw.field_nodes if node.selection_set],
        path,
        raw.fragments,
    )


def _selects(
    sets: Iterable[SelectionSetNode],
    path: tuple[str, ...],
    fragments: dict[str, FragmentDefinitionNode],
) -> bool:
    name, rest = path[0], path[1:]
    below: list[SelectionSetNode] = []
    for field in _fields(sets, fragments, set()):
        if field.name.value != name:
            continue
        if not rest:
            return True
        if field.selection_set is not None:
            below.append(field.selection_set)
    return bool(below) and _selects(below, rest, fragments)


def _fields(
    sets: Iterable[SelectionSetNode],
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> Iterable[FieldNode]:
    for selection_set in sets:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from _fields([selection.selection_set], fragments, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                # A fragment spread twice (or within itself: validation refuses that) is
                # walked once.
                if fragment is not None and name not in seen:
                    seen.add(name)
                    yield from _fields([fragment.selection_set], fragments, seen)
