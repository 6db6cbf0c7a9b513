"""The fake Gemini answers as the API does (https://ai.google.dev/api/generate-content and
the troubleshooting page): google-genai reaches it with its own URL and key header, and a
wrong key, an unknown model or a malformed request get the API's errors, which the runner
treats as failures that would repeat."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from core.analysis.gemini import GeminiModel, ModelError
from core.analysis.prompt import AnalysisRequest
from core.settings import Settings

REQUEST = AnalysisRequest(
    system_instruction="Answer in JSON.",
    prompt="Caller: Hello?",
    response_schema={"type": "object", "properties": {"summary": {"type": "string"}}},
)


def _settings(gemini, **overrides) -> Settings:
    return Settings(**{**gemini.settings_overrides(), **overrides})


async def test_google_genai_sends_the_documented_request(gemini):
    # given
    model = GeminiModel(_settings(gemini, analysis_model="gemini-2.5-flash"))
    gemini.answer_json({"summary": "A short call."})

    # when
    try:
        text = await model.generate(REQUEST)
    finally:
        await model.aclose()

    # then
    assert text == '{"summary": "A short call."}'
    [request] = gemini.requests
    assert (request.version, request.model, request.api_key) == (
        "v1beta",
        "gemini-2.5-flash",
        gemini.api_key,
    )
    assert request.body["contents"] == [{"parts": [{"text": "Caller: Hello?"}], "role": "user"}]
    assert request.system_instruction == "Answer in JSON."
    assert request.generation_config["responseMimeType"] == "application/json"
    assert request.response_schema == REQUEST.response_schema


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        (
            {"google_api_key": SecretStr("not-the-key-0123456789")},
            "http_400: INVALID_ARGUMENT API key not valid. Please pass a valid API key.",
        ),
        ({"analysis_model": "gemini-0-nonexistent"}, "http_404: NOT_FOUND models/gemini-0"),
    ],
)
async def test_a_refused_key_or_an_unknown_model_would_repeat(gemini, overrides, error):
    # given
    model = GeminiModel(_settings(gemini, **overrides))

    # when
    try:
        with pytest.raises(ModelError) as raised:
            await model.generate(REQUEST)
    finally:
        await model.aclose()

    # then
    assert str(raised.value).startswith(error)
    assert raised.value.retryable is False


async def test_a_schema_without_the_json_mime_type_is_invalid(gemini):
    # when a client asks for a schema but not for JSON (google-genai never does)
    async with httpx.AsyncClient(base_url=gemini.base_url) as http:
        response = await http.post(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            headers={"x-goog-api-key": gemini.api_key},
            json={
                "contents": [{"parts": [{"text": "hi"}]}],
                "generationConfig": {"responseJsonSchema": {"type": "object"}},
            },
        )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


async def test_the_rate_limit_says_when_to_retry(gemini):
    # given
    gemini.fail(429)

    # when
    async with httpx.AsyncClient(base_url=gemini.base_url) as http:
        response = await http.post(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            headers={"x-goog-api-key": gemini.api_key},
            json={"contents": [{"parts": [{"text": "hi"}]}]},
        )

    # then
    assert response.status_code == 429
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert body["details"][0]["@type"] == "type.googleapis.com/google.rpc.RetryInfo"
