"""The GraphQL endpoint: authentication on HTTP and on `connection_init`."""

from __future__ import annotations

import logging
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from core.access import ANONYMOUS, Principal
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.security.tokens import AccessTokenCodec
from core.services import api_keys, sessions
from core.settings import Settings
from graphql_api.context import Context
from graphql_api.dataloaders import DataLoaders

log = logging.getLogger(__name__)


async def authenticate(authorization: str | None, codec: AccessTokenCodec) -> Principal | None:
    """The principal behind an `Authorization: Bearer ...` value; None when it is bad."""
    scheme, _, credential = (authorization or "").strip().partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    if credential.startswith(f"{api_keys.KEY_PREFIX}_"):
        return await api_keys.authenticate(plain=credential)
    return await sessions.authenticate(access_token=credential, codec=codec)


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        *,
        settings: Settings,
        codec: AccessTokenCodec,
        bus: EventBus,
        rooms: RoomService,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=False,
            # Only graphql-transport-ws: the legacy graphql-ws protocol has no
            # connection_init handshake to authenticate.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.ws_allowed_origins,
        )
        self.settings = settings
        self.codec = codec
        self.bus = bus
        self.rooms = rooms

    async def get_context(self, request: Request | WebSocket, response: Response | None) -> Context:
        principal = ANONYMOUS
        if isinstance(request, Request):
            try:
                found = await authenticate(request.headers.get("authorization"), self.codec)
            except Exception:
                # The credential could not be checked (the database is unreachable): answer
                # 503 rather than a bare 500 raised before the GraphQL error masking.
                log.exception("could not authenticate a request")
                raise HTTPException(503, "Service unavailable. Try again shortly.") from None
            principal = found or ANONYMOUS
        client = request.client
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            codec=self.codec,
            bus=self.bus,
            rooms=self.rooms,
            principal=principal,
            loaders=DataLoaders(principal=principal),
            client_address=client.host if client else "unknown",
            user_agent=request.headers.get("user-agent"),
        )

    async def on_ws_connect(self, context: Context) -> dict[str, Any] | None:  # type: ignore[override]
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        principal = (
            await authenticate(authorization, self.codec)
            if isinstance(authorization, str)
            else None
        )
        if principal is None:
            raise ConnectionRejectionError()  # closes with 4403
        context.principal = principal
        context.renew_loaders()
        return None
