"""Query helpers that give a Tortoise result the type it has at run time."""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet


async def flat_values(query: QuerySet[Any], field: str) -> list[Any]:
    """One field of every row, like `values_list(field, flat=True)`.

    Tortoise annotates that call as returning tuples whatever `flat` is; it returns the values.
    """
    values: Any = await query.values_list(field, flat=True)
    return list(values)
