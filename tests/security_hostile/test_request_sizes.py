"""Request bodies, documents and WebSocket messages are bounded in bytes before anything
parses them, and a refusal costs the server nothing the next request would notice.

- A body is bounded while it streams in: a `Content-Length` over the route's limit is
  answered 413 before one byte of the body is read; a chunked body is cut at the limit.
  `/graphql` takes 256 KiB (`GRAPHQL_MAX_BODY_BYTES`); each webhook has its own limit.
- A GraphQL document over 32 KiB (`MAX_QUERY_BYTES`) is refused before the parser sees it,
  over HTTP and in a WebSocket `subscribe`; a WebSocket message over the body limit closes
  the socket (1009), whatever server runs the app.
- A JSON body nested 3,000 deep is a 400 with a clear message, not a 500 and a traceback.
- While an oversized upload is refused, `/healthz` answers in under 50 ms (the issue's
  bound), measured on the real uvicorn server.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from pydantic import SecretStr

from core.settings import Settings
from tests.support.hostile import TRIVIAL
from tests.support.logs import capture_logs, sql_statements
from tests.support.servers import asgi_client, running_app
from tests.support.waiting import DEADLINE
from tests.support.websocket import SocketClosed, graphql_socket

KIB = 1024
GRAPHQL_BODY_LIMIT = 256 * KIB
DOCUMENT_LIMIT = 32 * KIB
# Every route that reads a body, and the most it reads.
BODY_LIMITS = {
    "/graphql": GRAPHQL_BODY_LIMIT,
    "/webhooks/twilio/voice": 64 * KIB,
    "/webhooks/twilio/status": 64 * KIB,
    "/webhooks/twilio/refer": 64 * KIB,
    "/webhooks/twilio/dial-status": 64 * KIB,
    "/webhooks/livekit": 256 * KIB,
    "/webhooks/stripe": 512 * KIB,
}
CHUNK = 16 * KIB
# What the attacker sent: a valid query whose comment defeats the parse cache.
COMMENTED_QUERY_HEAD = b'{"query": "{ __typename } #'


def _too_large(limit: int) -> str:
    return f"Request body too large: the limit is {limit} bytes."


async def _declare_only(base_url: str, path: str, length: int) -> tuple[int, dict[str, str]]:
    """POST with this Content-Length and no body at all: (status, headers) of the answer."""
    url = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), DEADLINE)
    finally:
        writer.close()
    status_line, *header_lines = head.decode("latin-1").strip().split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {key.lower(): value for key, value in headers.items()}


def _webhooks_configured(settings: Settings) -> Settings:
    """Every webhook configured, so that each one reads its body."""
    return settings.model_copy(
        update={
            "twilio_auth_token": SecretStr("twilio-token-0123456789"),
            "livekit_api_key": "livekit-key",
            "livekit_api_secret": SecretStr("livekit-secret-0123456789abcdef0123456789"),
            "stripe_webhook_secret": SecretStr("whsec_0123456789abcdef"),
        }
    )


@pytest.mark.parametrize(("path", "limit"), BODY_LIMITS.items(), ids=list(BODY_LIMITS))
async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    server, path, limit
):
    # given the API on uvicorn, and a request head announcing one byte more than the route
    # takes, with no body sent
    async with running_app(_webhooks_configured(server.settings)) as app:
        # when
        with sql_statements() as during, capture_logs(level=logging.ERROR) as errors:
            status, _ = await _declare_only(app.base_url, path, limit + 1)

    # then: answered at once (the server waited for no byte of it); nothing ran
    assert status == 413
    assert during == []
    assert errors.records == []


class CountingBody:
    """A chunked body of `total` bytes; counts the chunks the server has pulled."""

    def __init__(self, total: int, head: bytes = b"") -> None:
        self.total = total
        self.head = head
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        if self.head:
            self.pulled += 1
            sent += len(self.head)
            yield self.head
        while sent < self.total:
            self.pulled += 1
            sent += CHUNK
            yield b"x" * CHUNK


@pytest.mark.parametrize(("path", "limit"), BODY_LIMITS.items(), ids=list(BODY_LIMITS))
async def test_a_chunked_body_is_cut_at_the_limit(server, path, limit):
    # given the app in-process, pulling each chunk of the body as it reads it
    body = CountingBody(4 * limit, head=COMMENTED_QUERY_HEAD)
    async with asgi_client(_webhooks_configured(server.settings)) as app:
        # when
        with capture_logs(level=logging.ERROR) as errors:
            response = await app.http.post(
                path, content=body, headers={"content-type": "application/json"}
            )

    # then: refused once the limit was crossed, no chunk read past it, nothing logged
    assert (response.status_code, response.text) == (413, _too_large(limit))
    assert body.pulled * CHUNK <= limit + 2 * CHUNK, body.pulled
    assert errors.records == []


class RawHttp:
    """One kept-alive HTTP/1.1 connection spoken by hand: a probe's time is the server's
    answer and the loopback, not a client library's work (which shares this event loop)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, base_url: str) -> RawHttp:
        url = urlsplit(base_url)
        return cls(*await asyncio.open_connection(url.hostname, url.port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def answer(self) -> tuple[int, bytes]:
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), DEADLINE)
        status = int(head.split(b" ", 2)[1])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        assert length is not None, head
        return status, await asyncio.wait_for(self.reader.readexactly(int(length[1])), DEADLINE)

    async def healthz(self) -> float:
        """Seconds until /healthz answered 200."""
        started = time.perf_counter()
        await self.send(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        status, _ = await self.answer()
        assert status == 200
        return time.perf_counter() - started

    async def close(self) -> None:
        self.writer.close()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def test_healthz_answers_within_50ms_while_an_oversized_upload_is_refused(server):
    # given: a client streaming 2 MiB of a commented query to /graphql in 64 KiB chunks, and
    # /healthz probed back to back on another (already open) connection until the upload is
    # answered, a chunk sent only after a probe came back (so probes span the whole upload)
    latencies: list[float] = []
    probed = asyncio.Condition()
    upload_done = asyncio.Event()
    prober, uploader = await RawHttp.open(server.base_url), await RawHttp.open(server.base_url)
    await prober.healthz()  # the connection is warm

    async def probe_until_the_upload_is_answered() -> None:
        while not upload_done.is_set():
            latencies.append(await prober.healthz())
            async with probed:
                probed.notify_all()

    async def upload() -> tuple[int, bytes]:
        try:
            await uploader.send(
                b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(COMMENTED_QUERY_HEAD)
            )
            for sent in range(2 * KIB * KIB // (64 * KIB)):
                async with probed:
                    await probed.wait_for(lambda sent=sent: len(latencies) > sent)
                await uploader.send(_chunk(b"x" * (64 * KIB)))
            await uploader.send(_chunk(b'"}') + b"0\r\n\r\n")
            return await uploader.answer()
        finally:
            upload_done.set()

    # when (with the collector paused: a full collection of this test process's heap, the
    # whole suite's objects, takes tens of milliseconds no API process of its own would)
    gc.collect()
    gc.disable()
    try:
        (status, text), _ = await asyncio.gather(upload(), probe_until_the_upload_is_answered())
    finally:
        gc.enable()
        await prober.close()
        await uploader.close()

    # then
    assert (status, text.decode()) == (413, _too_large(GRAPHQL_BODY_LIMIT))
    assert len(latencies) >= 32
    assert max(latencies) < 0.050, sorted(latencies)[-5:]


def _garbage_document(size: int) -> str:
    # Not GraphQL at all: had the parser seen it, the answer would be a syntax error.
    return "@" * size


async def test_a_document_over_the_byte_limit_is_refused_before_the_parser_sees_it(gql):
    # when
    with capture_logs(level=logging.ERROR) as errors:
        body = await gql.execute(_garbage_document(DOCUMENT_LIMIT + 1))
        at_limit = await gql.execute("{ __typename }" + " " * (DOCUMENT_LIMIT - 14))

    # then
    assert body == {
        "data": None,
        "errors": [
            {
                "message": f"The document is {DOCUMENT_LIMIT + 1} bytes; the limit is "
                f"{DOCUMENT_LIMIT}.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }
    assert at_limit == {"data": {"__typename": "Query"}}
    assert errors.records == []


async def test_a_document_over_the_byte_limit_over_websocket_is_refused_and_the_socket_goes_on(
    server, make
):
    # given
    tenant = await make.tenant()
    async with graphql_socket(server.ws_url, tenant.token) as socket:
        # when
        with sql_statements() as during:
            await socket.subscribe("big", _garbage_document(DOCUMENT_LIMIT + 1))
            refused = await socket.next("big")

        # then
        assert during == []
        assert refused == {
            "id": "big",
            "type": "error",
            "payload": [
                {
                    "message": f"The document is {DOCUMENT_LIMIT + 1} bytes; the limit is "
                    f"{DOCUMENT_LIMIT}.",
                    "extensions": {"code": "BAD_REQUEST"},
                }
            ],
        }
        await socket.subscribe("after", TRIVIAL)
        assert await socket.data("after") == {"__typename": "Query"}


async def test_a_websocket_message_over_the_limit_closes_the_socket_on_any_server(server, make):
    # given an API on a server that accepts messages of up to 16 MiB (uvicorn's default)
    tenant = await make.tenant()
    padding = "x" * GRAPHQL_BODY_LIMIT
    async with (
        running_app(server.settings) as app,
        graphql_socket(app.ws_url, tenant.token) as socket,
    ):
        # when: one message over the body limit (a small document, big variables)
        with capture_logs(level=logging.ERROR) as errors:
            await socket.subscribe("big", TRIVIAL, {"padding": padding})
            with pytest.raises(SocketClosed) as closed:
                await socket.next("big")

    # then
    assert closed.value.code == 1009
    assert errors.records == []


def _nested(depth: int) -> bytes:
    return (
        b'{"query": "{ __typename }", "variables": ' + b'{"a":' * depth + b"1" + b"}" * (depth + 1)
    )


async def test_a_json_body_nested_3000_deep_is_a_clear_400(gql):
    # when
    with capture_logs(level=logging.ERROR) as errors:
        response = await gql.http.post(
            "/graphql", content=_nested(3000), headers={"content-type": "application/json"}
        )

    # then
    assert (response.status_code, response.text) == (400, "The JSON body is nested too deeply.")
    assert errors.records == []


async def test_a_websocket_message_nested_3000_deep_closes_the_socket_as_invalid(server, make):
    # given
    tenant = await make.tenant()
    async with graphql_socket(server.ws_url, tenant.token) as socket:
        # when
        with capture_logs(level=logging.ERROR) as errors:
            await socket.connection.send(
                '{"id": "deep", "type": "subscribe", "payload": ' + _nested(3000).decode() + "}"
            )
            code, reason = await socket.wait_closed()

    # then
    assert (code, reason) == (4400, "WebSocket message must be valid JSON")
    assert errors.records == []


async def test_a_huge_number_in_a_body_is_a_client_error(gql):
    # given a number Python refuses to read (over 4,300 digits)
    content = json.dumps({"query": "{ __typename }", "variables": {}})[:-2] + '"n": 1' + "0" * 5000
    content += "}}"

    # when
    with capture_logs(level=logging.ERROR) as errors:
        response = await gql.http.post(
            "/graphql", content=content, headers={"content-type": "application/json"}
        )

    # then
    assert (response.status_code, response.text) == (400, "Unable to parse request body as JSON")
    assert errors.records == []
