"""Keyset cursor connections, newest first, `first` at most 100.

Keyset (created_at, id) cursors stay correct while rows are being added,
unlike offsets, and cost the same on page 1 and page 1000.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from strawberry import relay
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from graphql_api.errors import BadRequest

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# An issued cursor is about 100 characters (an ISO time and a UUID, base64).
MAX_CURSOR_LENGTH = 200

N = TypeVar("N")
M = TypeVar("M", bound=Model)


def encode_cursor(row: Any) -> str:
    raw = f"{row.created_at.isoformat()}|{row.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    # The time is brought to UTC here, where an offset that overflows the calendar (year 9999
    # at -23:59) is a bad cursor rather than an OverflowError in the database driver.
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("longer than any cursor we issue")
        created_at, _, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC), uuid.UUID(row_id)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as error:
        raise BadRequest("The `after` cursor is not valid.") from error


def check_first(first: int | None) -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadRequest(f"`first` must be between 1 and {MAX_PAGE_SIZE}.")
    return size


async def paginate(
    queryset: QuerySet[M],
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[M], N] | Callable[[M], Awaitable[N]],
    connection: type[relay.Connection[N]],
) -> relay.Connection[N]:
    size = check_first(first)
    if after:
        created_at, row_id = decode_cursor(after)
        queryset = queryset.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=row_id)
        )
    rows = await queryset.order_by("-created_at", "-id").limit(size + 1)
    page = rows[:size]
    edges = []
    for row in page:
        node = to_node(row)
        if hasattr(node, "__await__"):
            node = await node  # type: ignore[misc]
        edges.append(relay.Edge(node=node, cursor=encode_cursor(row)))
    return connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
