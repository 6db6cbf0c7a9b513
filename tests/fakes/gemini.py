"""A fake Gemini API (Google AI, generativelanguage.googleapis.com) at its HTTP boundary:
`POST /{version}/models/{model}:generateContent`, served by uvicorn on 127.0.0.1.

It follows the API reference (https://ai.google.dev/api/generate-content, request and
`GenerateContentResponse` shapes; structured output with `responseMimeType` and
`responseJsonSchema`: https://ai.google.dev/gemini-api/docs/structured-output) and the
errors as the API returns them (https://ai.google.dev/gemini-api/docs/troubleshooting, the
`{"error": {"code", "message", "status", "details"}}` body of Google APIs,
https://cloud.google.com/apis/design/errors): a missing or wrong key is 400
INVALID_ARGUMENT with reason API_KEY_INVALID, an unknown model 404 NOT_FOUND, a malformed
request 400 INVALID_ARGUMENT, the rate limit 429 RESOURCE_EXHAUSTED with a RetryInfo delay,
and 500 INTERNAL / 503 UNAVAILABLE ("The model is overloaded"). The key is read from the
`x-goog-api-key` header (what google-genai sends) or the `key` query parameter.

    async with FakeGemini() as gemini:
        settings = base.model_copy(update=gemini.settings_overrides())
        gemini.answer_json({"summary": "...", ...})     # the next answer
        gemini.answer_text("not json")                  # malformed
        gemini.fail(503)                                # an HTTP error
        gemini.answer_json({...}, delay_seconds=5)      # slow

Answers are scripted in order; a request with nothing scripted gets 500 and is listed in
`unscripted`, so a test that forgot a script fails instead of passing on a made-up answer.
Every request is kept (`requests`), with its text, system instruction and response schema.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.base import FakeService
from tests.support.secret_scan import SCANNER

API_KEY = "fake-gemini-api-key-0123456789abcdefghij"
MODELS = frozenset({"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite"})
VERSIONS = frozenset({"v1", "v1beta"})

# status -> (status name, message), as the API words them.
ERRORS = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    403: ("PERMISSION_DENIED", "The caller does not have permission."),
    404: ("NOT_FOUND", "Requested entity was not found."),
    429: (
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
    ),
    500: (
        "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting",
    ),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
    504: ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
}


@dataclass
class GeminiRequest:
    version: str
    model: str
    api_key: str | None
    body: dict[str, Any]
    status: int = 0

    @property
    def text(self) -> str:
        """The user content's text, every part of every turn."""
        return "\n".join(
            part.get("text", "")
            for content in self.body.get("contents") or []
            for part in content.get("parts") or []
        )

    @property
    def system_instruction(self) -> str:
        instruction = self.body.get("systemInstruction") or {}
        return "\n".join(part.get("text", "") for part in instruction.get("parts") or [])

    @property
    def generation_config(self) -> dict[str, Any]:
        return self.body.get("generationConfig") or {}

    @property
    def response_schema(self) -> dict[str, Any] | None:
        return self.generation_config.get("responseJsonSchema")


@dataclass
class _Scripted:
    status: int = 200
    text: str | None = None  # the candidate's text (200)
    finish_reason: str = "STOP"
    block_reason: str | None = None  # promptFeedback.blockReason: no candidates at all
    message: str | None = None  # an error's message
    delay_seconds: float = 0.0


@dataclass
class FakeGeminiState:
    requests: list[GeminiRequest] = field(default_factory=list)
    unscripted: list[GeminiRequest] = field(default_factory=list)
    script: deque[_Scripted] = field(default_factory=deque)


class FakeGemini(FakeService):
    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.state = FakeGeminiState()
        SCANNER.plant(api_key, "Gemini API key", anywhere=True)
        super().__init__(
            Starlette(
                routes=[Route("/{version}/models/{target}", self._generate, methods=["POST"])]
            )
        )

    def settings_overrides(self) -> dict[str, Any]:
        return {
            "google_api_key": SecretStr(self.api_key),
            "analysis_api_base_url": self.base_url,
        }

    # --- scripting --------------------------------------------------------------------------

    def reset(self) -> None:
        self.state = FakeGeminiState()

    def answer_json(self, answer: Any, *, delay_seconds: float = 0.0) -> None:
        self.answer_text(json.dumps(answer), delay_seconds=delay_seconds)

    def answer_text(self, text: str, *, delay_seconds: float = 0.0) -> None:
        self.state.script.append(_Scripted(text=text, delay_seconds=delay_seconds))

    def block(self, reason: str = "SAFETY") -> None:
        """The prompt is blocked: 200 with `promptFeedback.blockReason` and no candidates."""
        self.state.script.append(_Scripted(block_reason=reason))

    def fail(self, status: int, *, message: str | None = None, delay_seconds: float = 0.0) -> None:
        assert status in ERRORS, f"no such Gemini error in the fake: {status}"
        self.state.script.append(
            _Scripted(status=status, message=message, delay_seconds=delay_seconds)
        )

    @property
    def requests(self) -> list[GeminiRequest]:
        return self.state.requests

    @property
    def unscripted(self) -> list[GeminiRequest]:
        return self.state.unscripted

    # --- the endpoint -----------------------------------------------------------------------

    async def _generate(self, request: Request) -> JSONResponse:
        version = request.path_params["version"]
        model, _, method = request.path_params["target"].partition(":")
        api_key = request.headers.get("x-goog-api-key") or request.query_params.get("key")
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        recorded = GeminiRequest(version, model, api_key, body if isinstance(body, dict) else {})
        state = self.state
        state.requests.append(recorded)
        response = await self._answer(recorded, version, method, body, state)
        recorded.status = response.status_code
        return response

    async def _answer(
        self,
        recorded: GeminiRequest,
        version: str,
        method: str,
        body: Any,
        state: FakeGeminiState,
    ) -> JSONResponse:
        if version not in VERSIONS or method != "generateContent":
            return error(404, f"Method not found: {version}/{recorded.model}:{method}.")
        if recorded.api_key != self.api_key:
            return error(
                400,
                "API key not valid. Please pass a valid API key.",
                details=[_error_info("API_KEY_INVALID")],
            )
        if recorded.model not in MODELS:
            return error(
                404,
                f"models/{recorded.model} is not found for API version {version}, or is not "
                "supported for generateContent. Call ListModels to see the list of available "
                "models and their supported methods.",
            )
        problem = _request_problem(body)
        if problem:
            return error(400, problem)
        if not state.script:
            state.unscripted.append(recorded)
            return error(500, "the fake Gemini has no scripted answer for this request")
        scripted = state.script.popleft()
        if scripted.delay_seconds:
            await asyncio.sleep(scripted.delay_seconds)
        if scripted.status != 200:
            details = (
                [
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"},
                ]
                if scripted.status == 429
                else None
            )
            return error(scripted.status, scripted.message, details=details)
        return JSONResponse(_response(recorded, scripted))


def _request_problem(body: Any) -> str | None:
    """What the API refuses in a request body (400 INVALID_ARGUMENT)."""
    if not isinstance(body, dict):
        return "Invalid JSON payload received."
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        return "* GenerateContentRequest.contents: contents is not specified"
    config = body.get("generationConfig") or {}
    has_schema = "responseJsonSchema" in config or "responseSchema" in config
    if "responseJsonSchema" in config and "responseSchema" in config:
        return "responseSchema and responseJsonSchema cannot both be set."
    if has_schema and config.get("responseMimeType") != "application/json":
        return (
            "* GenerateContentRequest.generation_config.response_mime_type: "
            "response_mime_type must be application/json when a response schema is set."
        )
    return None


def _response(recorded: GeminiRequest, scripted: _Scripted) -> dict[str, Any]:
    prompt_tokens = max(1, len(recorded.text + recorded.system_instruction) // 4)
    if scripted.block_reason is not None:
        return {
            "promptFeedback": {"blockReason": scripted.block_reason},
            "usageMetadata": {"promptTokenCount": prompt_tokens, "totalTokenCount": prompt_tokens},
            "modelVersion": recorded.model,
            "responseId": uuid.uuid4().hex[:22],
        }
    text = scripted.text or ""
    answer_tokens = max(1, len(text) // 4)
    return {
        "candidates": [
            {
                "content": {"parts": [{"text": text}], "role": "model"},
                "finishReason": scripted.finish_reason,
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": answer_tokens,
            "totalTokenCount": prompt_tokens + answer_tokens,
        },
        "modelVersion": recorded.model,
        "responseId": uuid.uuid4().hex[:22],
    }


def _error_info(reason: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    }


def error(
    status: int, message: str | None = None, *, details: list[dict[str, Any]] | None = None
) -> JSONResponse:
    name, default = ERRORS[status]
    body: dict[str, Any] = {"code": status, "message": message or default, "status": name}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)
