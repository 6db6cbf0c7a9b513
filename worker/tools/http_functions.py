"""Worker side: an organization's custom HTTP functions as LiveKit raw-schema tools.

The model's arguments fill the URL's {placeholders}, percent-encoded; the rest go in
the query string (GET, DELETE) or the JSON body. The template is parsed again here and
never run through str.format (core/tools/url_templates.py), and the URL it gives is at
most 2,000 characters. The answer reaches the model as JSON, capped in size. Failures
become ToolError messages a caller can understand.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from livekit.agents import RunContext, ToolError, function_tool
from livekit.agents.llm import RawFunctionTool

from core.security.unsealing import UnsealError, unseal
from core.services.custom_functions import secret_headers_context
from core.settings import Settings, parse_encryption_keys
from core.tools.http_guard import BlockedDestination, guarded_client
from core.tools.url_templates import MAX_URL_LENGTH, TemplateError, UrlTemplate
from orm.models import CustomFunction
from worker.tools.runtime import CallSession

log = logging.getLogger(__name__)
USER_AGENT = "VoiceAgents-Functions/1.0"


async def load_custom_functions(
    *, agent_id: uuid.UUID, settings: Settings, only: set[str] | None = None
) -> tuple[list[RawFunctionTool], list[str]]:
    """The agent's active custom functions as tools, and what was skipped (never secrets)."""
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    functions = await CustomFunction.filter(agents__agent_id=agent_id, is_active=True)
    tools, skipped = [], []
    for function in functions:
        if only is not None and function.name not in only:
            continue
        try:
            secret_headers = (
                unseal(
                    function.sealed_secret_headers,
                    context=secret_headers_context(function),
                    keys=keys,
                )
                if function.sealed_secret_headers
                else {}
            )
        except UnsealError as failure:
            log.error(
                "secret headers do not decrypt",
                extra={"function_id": str(function.id), "reason": str(failure)},
            )
            skipped.append(f"{function.name}: secret headers unreadable")
            continue
        tools.append(build_tool(function, secret_headers=secret_headers, settings=settings))
    return tools, skipped


def build_tool(
    function: CustomFunction, *, secret_headers: dict[str, str], settings: Settings
) -> RawFunctionTool:
    parameters = function.parameters or {"type": "object"}
    validator = Draft202012Validator(parameters)
    template = _usable_template(function, declared=set(parameters.get("properties") or {}))
    placeholders = template.names if template is not None else set()

    async def handler(raw_arguments: dict[str, Any], ctx: RunContext[CallSession]) -> str:
        if template is None:
            raise ToolError("The function's address could not be built.")
        arguments = raw_arguments or {}
        problem = next(iter(validator.iter_errors(arguments)), None)
        if problem is not None:
            raise ToolError(f"The arguments do not fit: {problem.message}")
        url = template.expand({name: str(arguments.get(name, "")) for name in placeholders})
        rest = {key: value for key, value in arguments.items() if key not in placeholders}
        in_query = function.method in ("GET", "DELETE")
        headers = {**(function.headers or {}), **secret_headers, "User-Agent": USER_AGENT}
        return await _call(
            method=function.method,
            url=url,
            headers=headers,
            params=_query(rest) if in_query else None,
            json_body=None if in_query else rest,
            timeout=function.timeout_seconds,
            settings=settings,
            secret_names=set(secret_headers),
        )

    return function_tool(
        handler,
        raw_schema={
            "name": function.name,
            "description": function.description,
            "parameters": function.parameters or {"type": "object", "properties": {}},
        },
    )


def _usable_template(function: CustomFunction, *, declared: set[str]) -> UrlTemplate | None:
    """The stored template if it is bare declared names only (a row may predate the rules)."""
    try:
        template = UrlTemplate.parse(function.url_template)
    except TemplateError:
        template = None
    if template is None or not template.names <= declared:
        log.warning("custom function URL template refused", extra={"function_id": str(function.id)})
        return None
    return template


async def _call(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    params: dict[str, str] | None,
    json_body: dict[str, Any] | None,
    timeout: float,
    settings: Settings,
    secret_names: set[str],
) -> str:
    limit = settings.http_tool_max_response_bytes
    if params is not None:
        # httpx replaces the URL's own query with `params` (even an empty dict): merge instead,
        # so a template such as https://x.example/search?v=2&q={q} keeps its query.
        url, params = str(httpx.URL(url).copy_merge_params(params)), None
    if len(url) > MAX_URL_LENGTH:
        raise ToolError("The address would be too long with these values; use shorter ones.")
    try:
        async with guarded_client(
            allowed=settings.http_tool_allowed_networks, timeout=timeout
        ) as client:
            client.event_hooks["request"].append(_secrets_stay_on(httpx.URL(url), secret_names))
            async with client.stream(
                method, url, headers=headers, params=params, json=json_body
            ) as response:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > limit:
                        break
    except BlockedDestination:
        raise ToolError("That service cannot be reached from calls.") from None
    except httpx.TimeoutException:
        raise ToolError("The service took too long to answer.") from None
    except httpx.HTTPError:
        raise ToolError("The service could not be reached.") from None
    if not 200 <= response.status_code < 300:
        raise ToolError(f"The service answered with an error ({response.status_code}).")
    return _as_model_text(bytes(body[:limit]), truncated=len(body) > limit)


def _secrets_stay_on(origin: httpx.URL, secret_names: set[str]) -> Any:
    """A request hook: a redirect to another origin goes without the secret headers.

    httpx itself drops only Authorization on such a redirect; an X-Api-Key would follow.
    """

    def key(url: httpx.URL) -> tuple[str, str, int | None]:
        return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)

    async def hook(request: httpx.Request) -> None:
        if key(request.url) != key(origin):
            for name in secret_names:
                request.headers.pop(name, None)

    return hook


def _query(values: dict[str, Any]) -> dict[str, str]:
    return {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in values.items()
        if value is not None
    }


def _as_model_text(body: bytes, *, truncated: bool) -> str:
    text = body.decode("utf-8", errors="replace")
    if not truncated:
        try:
            return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            return text
    return text + "\n[the answer was cut here: it was too long]"
