"""The GraphQL endpoint: authentication on HTTP and on `connection_init`.

GraphQL over HTTP: a client that accepts `application/graphql-response+json` gets that
media type, answered as the GraphQL-over-HTTP specification says: a request that fails
before execution (it does not parse, does not validate, or its variables do not fit) is a
4xx without `data`; once execution started the answer is 200. `application/json` (and no
Accept header) is answered as before: 200, with `data: null` on such failures.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from core import tenancy
from core.access import ANONYMOUS, Principal
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.security.tokens import AccessTokenCodec
from core.services import api_keys, credentials, sessions
from core.settings import Settings
from graphql_api.context import Context
from graphql_api.dataloaders import DataLoaders
from graphql_api.errors import ErrorCode, mask_error
from graphql_api.fanout.hub import FanoutHub
from graphql_api.limits import document_size_error
from graphql_api.websocket import (
    TOO_MANY_SOCKETS,
    CredentialBoundHandler,
    LiveSocket,
    SocketAdapter,
    SocketRegistry,
)

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


class _NestedTooDeeply(json.JSONDecodeError):
    pass


async def authenticate(authorization: str | None, codec: AccessTokenCodec) -> Principal | None:
    """The principal behind an `Authorization: Bearer ...` value; None when it is bad."""
    scheme, _, credential = (authorization or "").strip().partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    if credential.startswith(f"{api_keys.KEY_PREFIX}_"):
        return await api_keys.authenticate(plain=credential)
    return await sessions.authenticate(access_token=credential, codec=codec)


def _accepted_quality(accept: str, media_type: str) -> float:
    """The quality an Accept header gives `media_type` by name (0 when unnamed)."""
    for item in accept.split(","):
        name, *parameters = (part.strip() for part in item.split(";"))
        if name.lower() != media_type:
            continue
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    return 0.0
                return quality if 0.0 <= quality <= 1.0 else 0.0  # NaN included
        return 1.0
    return 0.0


def wants_graphql_response(request: Request) -> bool:
    """The client names `application/graphql-response+json`, at least as high as JSON."""
    accept = request.headers.get("accept", "")
    preferred = _accepted_quality(accept, GRAPHQL_RESPONSE_JSON)
    return preferred > 0 and preferred >= _accepted_quality(accept, JSON)


def failed_before_execution(result: ExecutionResult) -> bool:
    """Parsing, validation or the variables refused the request: no field ran."""
    if isinstance(result, PreExecutionError):
        return True
    # graphql-core's refusal of the variables comes back as a plain result; a field's
    # error always has a path.
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


class GraphQLView(GraphQL[Context, None]):
    # Sockets live only as long as their credential (graphql_api/websocket.py).
    graphql_transport_ws_handler_class = CredentialBoundHandler
    websocket_adapter_class = SocketAdapter

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
        self.sockets = SocketRegistry(
            bus=bus,
            max_per_credential=settings.max_sockets_per_credential,
            recheck_seconds=settings.subscription_access_recheck_seconds,
        )
        # Subscription results computed once per selection and scope for this process's
        # sockets (graphql_api/fanout).
        self.fanout = FanoutHub(
            schema=schema,
            encode_json=self.encode_json,
            settings=settings,
            codec=codec,
            bus=bus,
            rooms=rooms,
            enabled=settings.subscription_shared_results,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
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
            # Over a WebSocket Strawberry passes the socket itself: no response to set a cookie on.
            response=response if isinstance(response, Response) else None,
            settings=self.settings,
            codec=self.codec,
            bus=self.bus,
            rooms=self.rooms,
            principal=principal,
            loaders=DataLoaders(principal=principal),
            client_address=client.host if client else "unknown",
            user_agent=request.headers.get("user-agent"),
        )

    # --- HTTP: the body, the operation, the answer -------------------------------------

    def decode_json(self, data: str | bytes) -> object:
        # JSON nested past the interpreter's recursion limit (RecursionError) or a number of
        # more than 4,300 digits (ValueError) is the client's error, like any bad JSON: the
        # HTTP body parser and the WebSocket loop answer a JSONDecodeError as such.
        try:
            return json.loads(data)
        except RecursionError:
            raise _NestedTooDeeply("JSON nested too deeply", "", 0) from None
        except json.JSONDecodeError:
            raise
        except ValueError as error:
            raise json.JSONDecodeError(str(error), "", 0) from None

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.decode_json(data)
        except _NestedTooDeeply:
            raise HTTPException(400, "The JSON body is nested too deeply.") from None
        except json.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        result = await self._execute(request, request_adapter, context, root_value, request_data)
        if result.errors:
            result.errors = mask_all(result.errors)
        if wants_graphql_response(request):
            sub_response.media_type = GRAPHQL_RESPONSE_JSON
            if failed_before_execution(result):
                internal = any(
                    (error.extensions or {}).get("code") == ErrorCode.INTERNAL_SERVER_ERROR
                    for error in result.errors or ()
                )
                sub_response.status_code = 500 if internal else 400
        return result

    async def _execute(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # The document's size is checked before the parser sees it.
        too_large = document_size_error(request_data.query, self.settings.max_query_bytes)
        if too_large is not None:
            return PreExecutionError(data=None, errors=[too_large])
        # Subscriptions are served over WebSocket only (no SSE or multipart transport is
        # offered). Strawberry's own `execute_single` lets one through on POST, runs it as a
        # query and fails on its stream: a masked 500 and a traceback per request.
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        if request_adapter.method == "GET":  # allow_queries_via_get=False
            allowed -= {OperationType.QUERY}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from None
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(request_adapter.method)) from None
        except MissingQueryError:
            raise HTTPException(400, "No GraphQL query found in the request") from None

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        # The masking extension sees every error of an operation that ran its course; an
        # exception escaping a parse or validation hook ends the operation before it, and
        # its text would reach the client. Masked once more (a no-op for the others) in
        # execute_single, and here for a result from anywhere else.
        if result.errors:
            result.errors = mask_all(result.errors)
        body = await super().process_result(request, result)
        # A request error has no `data` entry in a graphql-response+json answer.
        if wants_graphql_response(request) and failed_before_execution(result):
            body.pop("data", None)
        return body

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type:
            response.headers["content-type"] = f"{sub_response.media_type}; charset=utf-8"
        return response

    async def on_ws_connect(self, context: Context) -> dict[str, Any] | None:
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        principal = (
            await authenticate(authorization, self.codec)
            if isinstance(authorization, str)
            else None
        )
        socket = context.socket
        if principal is None or socket is None:
            raise ConnectionRejectionError()  # closes with 4403
        # The socket's operations each take their principal's scope (graphql_api/tenancy.py);
        # admitting it reads the credential in that scope too.
        with tenancy.scoped(tenancy.scope_of(principal)):
            return await self._admit(context, socket, principal)

    async def _admit(
        self, context: Context, socket: LiveSocket, principal: Principal
    ) -> dict[str, Any] | None:
        if not await self.sockets.admit(socket, principal):
            await socket.handler.websocket.close(
                code=TOO_MANY_SOCKETS, reason="Too many sockets for this credential"
            )
            raise ConnectionRejectionError()
        # Checked again now that a revocation would reach the socket: one that landed
        # since `authenticate` read the credential is not missed. An access token past its
        # `exp` is refused here, without HTTP's clock-skew leeway: the socket would outlive it.
        if socket.closed or not await credentials.is_alive(principal=principal):
            self.sockets.release(socket)
            raise ConnectionRejectionError()
        context.principal = principal
        context.renew_loaders()
        return None


def mask_all(errors: list[Any] | None) -> list[Any]:
    return [mask_error(error) for error in errors or ()]
