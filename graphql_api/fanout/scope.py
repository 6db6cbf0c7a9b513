"""What a shared result is computed under: one organization and the access checked there,
and nothing about who is asking.

A shared execution's context holds a stand-in for the subscriber that answers only whether
it is signed in and whether it is a platform admin, with its access to the organization
already loaded. A resolver that asks anything else (which person or API key it is, its
access to another organization, the connection it came over) makes the execution personal:
the question raises `PersonalQuestion`, the result is thrown away, and every subscriber
executes the event for itself, as before results were shared.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from core.access import OrgAccess, Principal
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.security.tokens import AccessTokenCodec
from core.settings import Settings
from graphql_api.context import Context
from graphql_api.dataloaders import DataLoaders


@dataclass(frozen=True)
class SelectionScope:
    """Everything a field's permission check may depend on, short of the person: two
    subscribers of one selection share results only within one scope."""

    organization_id: uuid.UUID
    role_id: uuid.UUID | None
    role_key: str
    permissions: frozenset[str]
    is_platform_admin: bool

    @classmethod
    def of(cls, access: OrgAccess, principal: Principal) -> SelectionScope:
        return cls(
            organization_id=access.organization_id,
            role_id=access.role_id,
            role_key=access.role_key,
            permissions=access.permissions,
            is_platform_admin=principal.is_platform_admin,
        )

    @property
    def access(self) -> OrgAccess:
        return OrgAccess(self.organization_id, self.role_key, self.permissions, self.role_id)


class PersonalQuestion(Exception):
    """A resolver asked who the subscriber is: the answer is not the scope's."""


class ExecutionWatch:
    """Whether one shared execution asked a personal question."""

    def __init__(self) -> None:
        self.personal = False

    def asked(self, what: str) -> PersonalQuestion:
        self.personal = True
        return PersonalQuestion(what)


class _ScopePrincipal:
    """The subscriber in a shared execution: signed in, a platform admin or not, no one."""

    is_authenticated = True

    def __init__(self, *, is_platform_admin: bool, watch: ExecutionWatch) -> None:
        self.is_platform_admin = is_platform_admin
        self._watch = watch

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._watch.asked(f"principal.{name}")


class _NoConnection:
    """The request of a shared execution: it has none of its own."""

    def __init__(self, watch: ExecutionWatch) -> None:
        self._watch = watch

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._watch.asked(f"request.{name}")


def scoped_context(
    *,
    scope: SelectionScope,
    watch: ExecutionWatch,
    settings: Settings,
    codec: AccessTokenCodec,
    bus: EventBus,
    rooms: RoomService,
) -> Context:
    """A context for one shared execution: fresh loaders, the scope's access to its
    organization loaded, and no person, socket or request behind it."""
    # Typed as what resolvers expect; what they may read of it is the class above.
    principal = cast(
        Principal, _ScopePrincipal(is_platform_admin=scope.is_platform_admin, watch=watch)
    )
    loaders = DataLoaders(principal=principal)
    # Its own organization never reaches load_access (which would ask who the principal is).
    loaders.access.prime(scope.organization_id, scope.access)
    return Context(
        request=cast(Any, _NoConnection(watch)),
        response=None,
        settings=settings,
        codec=codec,
        bus=bus,
        rooms=rooms,
        principal=principal,
        loaders=loaders,
        client_address="",
    )
