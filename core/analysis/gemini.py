"""Gemini's text API for post-call analysis, through `google-genai`.

One `generateContent` request per attempt, asking for JSON that follows the request's
response schema (`responseMimeType: application/json`, `responseJsonSchema`). The client
gets its own httpx client (so google-genai does not switch to aiohttp, whose transport
retries connection errors by itself) and no retry options: the runner owns retries, with
its backoff, across processes. The API version is pinned to v1beta, the version of the API
reference (https://ai.google.dev/api/generate-content), which has `responseJsonSchema`.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from google import genai
from google.genai import errors, types

from core.analysis.prompt import AnalysisRequest
from core.settings import Settings

API_VERSION = "v1beta"
# Statuses worth another attempt later: the rest (a refused key, a request the API calls
# invalid) would fail the same way every time.
_RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


class ModelError(Exception):
    """The model gave no answer: an HTTP error, a timeout, no connection, or no text."""

    def __init__(self, kind: str, detail: str, *, retryable: bool) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # safe to log: no text of the call or the answer
        self.retryable = retryable


class AnalysisModel(Protocol):
    """What the runner needs of a model (tests pass the real one, pointed at a fake)."""

    name: str

    async def generate(self, request: AnalysisRequest) -> str: ...

    async def aclose(self) -> None: ...


def available(settings: Settings) -> bool:
    """Whether this process can analyse: it has a Gemini API key."""
    return settings.google_api_key is not None


class GeminiModel:
    def __init__(self, settings: Settings) -> None:
        if settings.google_api_key is None:
            raise ValueError("GOOGLE_API_KEY is not set")
        self.name = settings.analysis_model
        timeout = settings.analysis_timeout_seconds
        self._http = httpx.AsyncClient(timeout=timeout)
        self._client = genai.Client(
            api_key=settings.google_api_key.get_secret_value(),
            http_options=types.HttpOptions(
                base_url=settings.analysis_api_base_url,
                api_version=API_VERSION,
                timeout=int(timeout * 1000),
                httpx_async_client=self._http,
            ),
        )

    async def generate(self, request: AnalysisRequest) -> str:
        try:
            response = await self._client.aio.models.generate_content(
                model=self.name,
                contents=request.prompt,
                config=types.GenerateContentConfig(
                    system_instruction=request.system_instruction,
                    response_mime_type="application/json",
                    response_json_schema=request.response_schema,
                    temperature=0.2,
                ),
            )
        except errors.APIError as error:
            status = error.status or ""
            raise ModelError(
                f"http_{error.code}",
                f"{status} {error.message or ''}".strip(),
                retryable=error.code in _RETRYABLE,
            ) from None
        except httpx.TimeoutException:
            raise ModelError("timeout", "no answer in time", retryable=True) from None
        except httpx.HTTPError as error:
            raise ModelError("unreachable", type(error).__name__, retryable=True) from None
        text = response.text
        if not text:
            candidates = response.candidates or []
            reason = candidates[0].finish_reason if candidates else None
            blocked = response.prompt_feedback.block_reason if response.prompt_feedback else None
            raise ModelError(
                "no_answer",
                f"finish reason {reason or blocked or 'unknown'}",
                retryable=True,
            )
        return text

    async def aclose(self) -> None:
        await self._http.aclose()
