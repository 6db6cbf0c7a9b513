"""WebSocket messages are bounded by the app itself, whatever server runs it.

`voiceagents serve` gives uvicorn the same limit (`ws_max_size`), which refuses a bigger
frame before buffering it; this wrapper of the WebSocket route holds the limit under any
other server or configuration:

- a message over `max_message_bytes` closes the socket with 1009 (message too big), and
  the app sees the socket end;
- a graphql-transport-ws `subscribe` whose document is over `max_document_bytes` gets an
  `error` for that operation before the parser sees the document, and the socket goes on.

It works on ASGI messages, below Strawberry's protocol handler, so nothing of the handler
(authentication, the credential checks) is touched.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphql_api.limits import byte_size, document_size_error

MESSAGE_TOO_BIG = 1009


class WebSocketLimits:
    def __init__(self, app: ASGIApp, *, max_message_bytes: int, max_document_bytes: int) -> None:
        self.app = app
        self.max_message_bytes = max_message_bytes
        self.max_document_bytes = max_document_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        closed = False

        async def bounded_receive() -> Message:
            nonlocal closed
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                text = message.get("text")
                size = byte_size(text) if text is not None else len(message.get("bytes") or b"")
                if size > self.max_message_bytes:
                    closed = True
                    await send(
                        {
                            "type": "websocket.close",
                            "code": MESSAGE_TOO_BIG,
                            "reason": f"Message too big: the limit is "
                            f"{self.max_message_bytes} bytes.",
                        }
                    )
                    # To the app, the socket has ended (Starlette raises WebSocketDisconnect).
                    return {"type": "websocket.disconnect", "code": MESSAGE_TOO_BIG}
                refusal = self._document_refusal(text, size)
                if refusal is None:
                    return message
                await send({"type": "websocket.send", "text": refusal})

        async def send_until_closed(message: Message) -> None:
            # Once this wrapper has closed the socket, what the app still writes (a result
            # racing the close, its own close) has nowhere to go.
            if not closed:
                await send(message)

        await self.app(scope, bounded_receive, send_until_closed)

    def _document_refusal(self, text: str | None, size: int) -> str | None:
        """The `error` answering a `subscribe` whose document is over the limit, or None."""
        if text is None or size <= self.max_document_bytes:
            return None  # too small to hold a document over the limit: not even decoded here
        try:
            message: Any = json.loads(text)
        except (ValueError, RecursionError):
            return None  # not JSON: the protocol handler answers it
        if not (isinstance(message, dict) and message.get("type") == "subscribe"):
            return None
        payload, operation_id = message.get("payload"), message.get("id")
        if not (isinstance(payload, dict) and isinstance(operation_id, str)):
            return None  # malformed: the protocol handler answers it
        error = document_size_error(payload.get("query"), self.max_document_bytes)
        if error is None:
            return None
        return json.dumps({"id": operation_id, "type": "error", "payload": [error.formatted]})
