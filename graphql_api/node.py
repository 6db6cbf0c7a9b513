"""Objects with a global id: the `Node` interface, `node(id)` and `nodes(ids)`.

Every object type with an id implements `Node` by subclassing it, keeps its database id in
`id`, builds itself with a `from_model(row)` classmethod, and says in `node_kind` how
`node(id)` loads it and who may read it: the permission of the field that lists it, in the
object's organization. So an object answers `node(id)` exactly as it answers its own root
field: missing, or another organization's, is null and NOT_FOUND; a member without the
permission gets null and FORBIDDEN.

This module imports no object type (they import it): `node(id)` finds them among the
subclasses of `Node` once the schema has imported them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry.types.base import get_object_definition

from core.access import Principal
from core.rbac import Permission
from graphql_api import ids
from graphql_api.context import Context, Info
from graphql_api.errors import BadRequest, Forbidden, NotFoundError
from graphql_api.permissions import authenticated

# `nodes(ids)` reads at most this many objects at once.
MAX_NODES = 100


def _own_organization(row: Any) -> uuid.UUID | None:
    return row.organization_id


@dataclass(frozen=True)
class NodeKind:
    """How `node(id)` reaches one object type."""

    # The DataLoaders attribute loading rows by database id.
    loader: str
    # Needed in the object's organization; None: any signed-in caller may read it.
    permission: Permission | None
    organization_of: Callable[[Any], uuid.UUID | None] = _own_organization
    # Instead of a permission: who may read the row (e.g. a user: themselves, an admin).
    readable_by: Callable[[Principal, Any], bool] | None = None

    async def authorize(self, context: Context, row: Any, what: str) -> None:
        """Raises exactly what the type's own root field raises for this caller."""
        if self.readable_by is not None:
            if not self.readable_by(context.principal, row):
                raise NotFoundError(what)
            return
        if self.permission is None:
            return
        organization_id = self.organization_of(row)
        access = await context.loaders.access.load(organization_id) if organization_id else None
        if access is None:
            raise NotFoundError(what)
        if not access.allows(self.permission):
            raise Forbidden()


@strawberry.interface(
    name="Node",
    description="An object with a global id; `node(id)` and `nodes(ids)` fetch it again.",
)
class Node:
    node_kind: ClassVar[NodeKind]

    # The database id; the GraphQL `id` is its global id.
    id: strawberry.Private[str]

    @strawberry.field(
        name="id",
        description="The global id: opaque, URL-safe, the same in every request. Pass it to "
        "`node(id)`, or to any argument that names this object.",
    )
    def global_id(self) -> strawberry.ID:
        type_name = get_object_definition(self, strict=True).name
        return strawberry.ID(ids.encode(type_name, self.id))

    @classmethod
    def from_model(cls, row: Any) -> Node:
        raise NotImplementedError(cls)


@cache
def node_types() -> dict[str, type[Node]]:
    """Object types implementing Node, by GraphQL name (built once, on first use)."""
    # The schema imports every object type; this module may not import them at its top.
    import graphql_api.schema  # noqa: F401

    found: dict[str, type[Node]] = {}
    pending: list[type[Node]] = [Node]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        definition = getattr(cls, "__strawberry_definition__", None)
        if definition is not None and not definition.is_interface:
            found[definition.name] = cls
    return found


async def resolve_node(context: Context, global_id: str) -> Node:
    """The object behind a global id, if the caller may read it; raises NOT_FOUND (missing,
    malformed, another organization's) or FORBIDDEN (visible, but not with this role)."""
    decoded = ids.decode_any(global_id)
    node_type = node_types().get(decoded[0]) if decoded else None
    if decoded is None or node_type is None:
        raise NotFoundError("Object")
    type_name, object_id = decoded
    kind = node_type.node_kind
    row = await getattr(context.loaders, kind.loader).load(object_id)
    if row is None:
        raise NotFoundError(type_name)
    await kind.authorize(context, row, type_name)
    node = node_type.from_model(row)
    # Types that share a table (call events) are told apart by the row: an id naming
    # another type than the row's is not found.
    if type(node) is not node_type:
        raise NotFoundError(type_name)
    return node


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its global id. Null, with a NOT_FOUND error, when it is "
        "missing or not yours; null with FORBIDDEN when your role may not read it.",
        extensions=authenticated(),
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global id, from any `id` field.")
        ],
    ) -> Node | None:
        return await resolve_node(info.context, id)

    @strawberry.field(
        description=f"Objects by global id, at most {MAX_NODES}, in the order asked. An id "
        "that `node(id)` would not answer is null here, with its error at its index "
        '(`path: ["nodes", 3]`); the others are answered.',
        extensions=authenticated(),
    )
    async def nodes(
        self,
        info: Info,
        global_ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(name="ids", description=f"Global ids, at most {MAX_NODES}."),
        ],
    ) -> list[Node | None]:
        if len(global_ids) > MAX_NODES:
            raise BadRequest(f"`nodes` takes at most {MAX_NODES} ids; {len(global_ids)} were sent.")
        # Awaitables, not values: graphql-core completes each one on its own, so a failing id
        # becomes null with its error at its index, and the loaders batch every id's reads.
        return [resolve_node(info.context, one) for one in global_ids]  # type: ignore[misc]
