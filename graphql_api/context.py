"""The typed context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from core.access import OrgAccess, Principal
from core.security.tokens import AccessTokenCodec
from core.settings import Settings
from graphql_api.dataloaders import DataLoaders
from graphql_api.errors import Forbidden, Unauthenticated
from orm.models import User


@dataclass(frozen=True)
class Checked:
    """What a permission check established for one field: the organization and the target."""

    access: OrgAccess
    target: Any = None


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    settings: Settings
    codec: AccessTokenCodec
    principal: Principal
    loaders: DataLoaders
    client_address: str
    user_agent: str | None = None
    # graphql-transport-ws: the connection_init payload.
    connection_params: dict[str, Any] | None = None
    checked: dict[tuple[str | int, ...], Checked] = field(default_factory=dict)

    def require_user(self) -> User:
        """The signed-in user; API keys act for an organization, not a person."""
        if not self.principal.is_authenticated:
            raise Unauthenticated()
        if self.principal.user is None:
            raise Forbidden("This needs a signed-in user; API keys cannot do it.")
        return self.principal.user

    def checked_for(self, info: Info) -> Checked:
        """The result of the permission check that ran for this very field."""
        return self.checked[path_key(info)]

    def renew_loaders(self) -> None:
        """Fresh loaders (WebSocket contexts live for a connection; caches must not)."""
        self.loaders = DataLoaders(principal=self.principal)


def path_key(info: Info) -> tuple[str | int, ...]:
    return tuple(info.path.as_list())


Info = StrawberryInfo[Context, None]
