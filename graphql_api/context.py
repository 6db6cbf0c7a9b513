"""The typed context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from core.access import OrgAccess, Principal
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.security.tokens import AccessTokenCodec
from core.settings import Settings
from graphql_api.dataloaders import DataLoaders
from graphql_api.errors import Forbidden, Unauthenticated
from orm.models import User

if TYPE_CHECKING:
    from graphql_api.websocket import LiveSocket


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
    bus: EventBus
    rooms: RoomService
    principal: Principal
    loaders: DataLoaders
    client_address: str
    user_agent: str | None = None
    # graphql-transport-ws: the connection_init payload, and the socket bound to its credential.
    connection_params: dict[str, Any] | None = None
    socket: LiveSocket | None = None
    # Permission results by field resolution (see path_key), so concurrent operations on one
    # WebSocket, which share this context, never read each other's results.
    checked: dict[int, tuple[Any, Checked]] = field(default_factory=dict)

    def require_user(self) -> User:
        """The signed-in user; API keys act for an organization, not a person."""
        if not self.principal.is_authenticated:
            raise Unauthenticated()
        if self.principal.user is None:
            raise Forbidden("This needs a signed-in user; API keys cannot do it.")
        return self.principal.user

    def checked_for(self, info: Info) -> Checked:
        """The result of the permission check that ran for this very field."""
        return self.checked[path_key(info)][1]

    def remember_check(self, info: Info, checked: Checked) -> None:
        if len(self.checked) > _MAX_REMEMBERED:  # long-lived WebSocket contexts
            for key in list(self.checked)[: _MAX_REMEMBERED // 2]:
                del self.checked[key]
        # Holding the resolve info keeps its id from being reused while the entry lives.
        self.checked[path_key(info)] = (info._raw_info, checked)

    def renew_loaders(self) -> None:
        """Fresh loaders (WebSocket contexts live for a connection; caches must not)."""
        self.loaders = DataLoaders(principal=self.principal)


_MAX_REMEMBERED = 2000


def path_key(info: Info) -> int:
    """graphql-core builds one resolve info per field resolution: its identity is the key."""
    return id(info._raw_info)


Info = StrawberryInfo[Context, None]
