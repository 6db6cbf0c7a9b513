"""Keyset cursor connections, newest first, each with its own page sizes and a total count.

Keyset (created_at, id) cursors stay correct while rows are being added,
unlike offsets, and cost the same on page 1 and page 1000.

Each connection type declares its `page_size` (`first` from 1 to its maximum, a default
when omitted); the field checks `first` against it before reading a row, so a refusal is a
BAD_REQUEST error at the field's path. `totalCount` is one COUNT with the connection's
filters, run only when selected.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

import strawberry
from strawberry import relay
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from graphql_api.errors import BadRequest

# An issued cursor is about 100 characters (an ISO time and a UUID, base64).
MAX_CURSOR_LENGTH = 200

N = TypeVar("N")
M = TypeVar("M", bound=Model)
C = TypeVar("C", bound="CountedConnection[Any]")


@dataclass(frozen=True)
class PageSize:
    """How many items one page of a list may hold: `first` from 1 to `maximum`."""

    default: int
    maximum: int

    def check(self, first: int | None) -> int:
        size = self.default if first is None else first
        if not 1 <= size <= self.maximum:
            raise BadRequest(f"`first` must be between 1 and {self.maximum}.")
        return size

    @property
    def description(self) -> str:
        return f"How many items: from 1 to {self.maximum}; {self.default} when omitted."


# What a connection holds when it says nothing else.
DEFAULT_PAGE_SIZE = PageSize(default=20, maximum=100)

AFTER_DESCRIPTION = "The `endCursor` of the previous page; omitted for the first page."


def first_argument(page_size: PageSize) -> Any:
    """The `first` argument's annotation, which publishes the connection's page sizes."""
    return strawberry.argument(description=page_size.description)


def after_argument() -> Any:
    return strawberry.argument(description=AFTER_DESCRIPTION)


# Relay's connection shape, declared here: Strawberry's generic `relay.Connection` and
# `relay.Edge` hold only its own `relay.Node`, and our `Node` interface (graphql_api/node.py)
# has global ids of its own.
@strawberry.type(description="An edge in a connection.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="A cursor for use in pagination")
    node: N = strawberry.field(description="The item at the end of the edge")


@strawberry.type
class CountedConnection(Generic[N]):
    """A connection with `totalCount`. Subclasses may set their own `page_size`."""

    page_size: ClassVar[PageSize] = DEFAULT_PAGE_SIZE
    page_info: relay.PageInfo = strawberry.field(description="Pagination data for this connection")
    edges: list[Edge[N]] = strawberry.field(description="Contains the nodes in this connection")
    # The connection's rows before any cursor: what `totalCount` counts.
    counted: strawberry.Private[QuerySet[Any]]

    @strawberry.field(
        description="How many items the whole list holds (every page), with the same filters."
    )
    async def total_count(self) -> int:
        return await self.counted.count()


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


async def paginate(
    queryset: QuerySet[M],
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[M], Any] | Callable[[M], Awaitable[Any]],
    connection: type[C],
) -> C:
    size = connection.page_size.check(first)
    page_query = queryset
    if after:
        created_at, row_id = decode_cursor(after)
        page_query = queryset.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=row_id)
        )
    rows = await page_query.order_by("-created_at", "-id").limit(size + 1)
    page = rows[:size]
    edges: list[Edge[Any]] = []
    for row in page:
        node = to_node(row)
        if inspect.isawaitable(node):
            node = await node
        edges.append(Edge(node=node, cursor=encode_cursor(row)))
    return connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        counted=queryset,
    )
