"""An organization's custom HTTP functions, API side (secret headers are sealed, never read)."""

from __future__ import annotations

import enum
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import FieldError, NotFound, ServiceError
from core.security.sealing import SealContext, seal
from core.settings import Settings, parse_encryption_keys
from core.tools.http_guard import BlockedDestination, check_destination
from core.tools.url_templates import MAX_URL_LENGTH, TemplateError, UrlTemplate
from orm.models import AgentCustomFunction, CustomFunction, PlatformTool, VoiceAgent

_NAME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,63}$")
_HEADER_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Headers the HTTP client owns; letting a function set them would break requests or smuggle.
_RESERVED_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "upgrade"}
MAX_TIMEOUT_SECONDS = 30.0
# How long a definition waits for DNS to judge the host (the call-time guard judges it again).
_DESTINATION_RESOLVE_SECONDS = 2.0
_URL_EXAMPLE = "Give an http(s) URL, e.g. https://api.example.com/orders/{order_id}."


class CustomFunctionErrorCode(enum.Enum):
    INVALID_NAME = "invalid_name"
    NAME_TAKEN = "name_taken"
    INVALID_DESCRIPTION = "invalid_description"
    INVALID_PARAMETERS = "invalid_parameters"
    INVALID_METHOD = "invalid_method"
    INVALID_URL = "invalid_url"
    INVALID_HEADERS = "invalid_headers"
    INVALID_TIMEOUT = "invalid_timeout"
    UNKNOWN_FUNCTION = "unknown_function"


def secret_headers_context(function: CustomFunction) -> SealContext:
    return SealContext(
        table="custom_functions",
        row_id=function.id,
        organization_id=function.organization_id,  # type: ignore[attr-defined]
        column="sealed_secret_headers",
    )


async def get_all(*, organization_id: uuid.UUID) -> list[CustomFunction]:
    """The organization's custom functions by name."""
    return await CustomFunction.filter(organization_id=organization_id).order_by("name")


async def get(*, organization_id: uuid.UUID, function_id: uuid.UUID) -> CustomFunction:
    function = await CustomFunction.get_or_none(id=function_id, organization_id=organization_id)
    if function is None:
        raise NotFound("Custom function")
    return function


async def create(
    *, organization_id: uuid.UUID, values: dict[str, Any], settings: Settings
) -> CustomFunction:
    """Define a function; secret headers are sealed to this row."""
    secret_headers = values.pop("secret_headers", None) or {}
    cleaned = await _clean(
        values, organization_id=organization_id, creating=True, settings=settings
    )
    _check_headers(secret_headers, "secretHeaders")
    try:
        async with in_transaction():
            function = await CustomFunction.create(organization_id=organization_id, **cleaned)
            if secret_headers:
                _seal_headers(function, secret_headers, settings)
                await function.save()
    except IntegrityError as error:
        raise _name_taken() from error
    return function


async def update(
    *, function: CustomFunction, changes: dict[str, Any], settings: Settings
) -> CustomFunction:
    """Change a function; `secret_headers` replaces all secret headers when given."""
    secret_headers = changes.pop("secret_headers", None)
    if "url_template" in changes or "parameters" in changes:
        # The URL's placeholders are checked against the parameters: validate them together.
        changes.setdefault("url_template", function.url_template)
        changes.setdefault("parameters", function.parameters)
    cleaned = await _clean(
        changes,
        organization_id=function.organization_id,  # type: ignore[attr-defined]
        creating=False,
        settings=settings,
        exclude_id=function.id,
    )
    if secret_headers is not None:
        _check_headers(secret_headers, "secretHeaders")
    function.update_from_dict(cleaned)
    if secret_headers is not None:
        _seal_headers(function, secret_headers, settings)
    try:
        await function.save()
    except IntegrityError as error:
        raise _name_taken() from error
    return function


async def delete(*, function: CustomFunction) -> None:
    """Delete a function; agents lose it."""
    await function.delete()


async def get_for_agent(*, agent: VoiceAgent) -> list[CustomFunction]:
    return await CustomFunction.filter(agents__agent_id=agent.id).order_by("name")


async def set_for_agent(
    *, agent: VoiceAgent, function_ids: list[uuid.UUID]
) -> list[CustomFunction]:
    """Enable exactly these functions on the agent (they must be its organization's)."""
    wanted = set(function_ids)
    functions = await CustomFunction.filter(
        id__in=wanted,
        organization_id=agent.organization_id,  # type: ignore[attr-defined]
    )
    if len(functions) != len(wanted):
        raise ServiceError.single(
            CustomFunctionErrorCode.UNKNOWN_FUNCTION, "Some functions do not exist.", "functionIds"
        )
    async with in_transaction():
        await AgentCustomFunction.filter(agent_id=agent.id).exclude(function_id__in=wanted).delete()
        present = set(
            await AgentCustomFunction.filter(agent_id=agent.id).values_list(
                "function_id", flat=True
            )
        )
        for function in functions:
            if function.id not in present:
                await AgentCustomFunction.create(
                    organization_id=agent.organization_id,  # type: ignore[attr-defined]
                    agent=agent,
                    function=function,
                )
    return sorted(functions, key=lambda f: f.name)


def _seal_headers(function: CustomFunction, headers: dict[str, str], settings: Settings) -> None:
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    function.sealed_secret_headers = (
        seal(headers, context=secret_headers_context(function), keys=keys) if headers else None
    )
    function.secret_header_names = sorted(headers)


async def _clean(
    values: dict[str, Any],
    *,
    organization_id: uuid.UUID,
    creating: bool,
    settings: Settings,
    exclude_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    problems: list[FieldError] = []
    code = CustomFunctionErrorCode

    if "name" in values or creating:
        name = (values.get("name") or "").strip()
        if not _NAME_RE.match(name):
            problems.append(
                FieldError(
                    "name", "Use a letter, then up to 63 letters, digits or _.", code.INVALID_NAME
                )
            )
        elif name in await _platform_function_names():
            problems.append(
                FieldError("name", "A platform tool already uses this name.", code.NAME_TAKEN)
            )
        cleaned["name"] = name
    if "description" in values or creating:
        description = (values.get("description") or "").strip()
        if not 1 <= len(description) <= 2000:
            problems.append(
                FieldError(
                    "description",
                    "Describe it for the model (1-2000 characters).",
                    code.INVALID_DESCRIPTION,
                )
            )
        cleaned["description"] = description
    parameters = values.get("parameters") or {"type": "object", "properties": {}}
    if "parameters" in values or creating:
        problem = _parameters_problem(parameters)
        if problem:
            problems.append(FieldError("parameters", problem, code.INVALID_PARAMETERS))
        cleaned["parameters"] = parameters
    if "method" in values or creating:
        method = (values.get("method") or "").upper()
        if method not in METHODS:
            problems.append(
                FieldError("method", f"Use one of {', '.join(METHODS)}.", code.INVALID_METHOD)
            )
        cleaned["method"] = method
    if "url_template" in values or creating:
        template = (values.get("url_template") or "").strip()
        problem = await _url_problem(
            template, parameters if isinstance(parameters, dict) else {}, settings=settings
        )
        if problem:
            problems.append(FieldError("urlTemplate", problem, code.INVALID_URL))
        cleaned["url_template"] = template
    if "headers" in values:
        headers = values["headers"] or {}
        problems += _header_problems(headers, "headers")
        cleaned["headers"] = headers
    if "timeout_seconds" in values and values["timeout_seconds"] is not None:
        timeout = values["timeout_seconds"]
        if not 0.5 <= float(timeout) <= MAX_TIMEOUT_SECONDS:
            problems.append(
                FieldError("timeoutSeconds", "Use 0.5 to 30 seconds.", code.INVALID_TIMEOUT)
            )
        cleaned["timeout_seconds"] = float(timeout)
    if "is_active" in values and values["is_active"] is not None:
        cleaned["is_active"] = bool(values["is_active"])
    if problems:
        raise ServiceError(*problems)
    if "name" in cleaned:
        taken = CustomFunction.filter(organization_id=organization_id, name=cleaned["name"])
        if exclude_id is not None:
            taken = taken.exclude(id=exclude_id)
        if await taken.exists():
            raise _name_taken()
    return cleaned


async def _platform_function_names() -> set[str]:
    names: set[str] = set()
    for schema in await PlatformTool.all().values_list("tool_functions_schema", flat=True):
        names.update(function["name"] for function in schema or [])
    return names


def _parameters_problem(parameters: Any) -> str | None:
    if not isinstance(parameters, dict) or parameters.get("type") != "object":
        return 'Give a JSON schema of {"type": "object", "properties": {...}}.'
    try:
        Draft202012Validator.check_schema(parameters)
    except Exception as error:
        return f"Not a valid JSON schema: {str(error).splitlines()[0]}"
    return None


async def _url_problem(
    template: str, parameters: dict[str, Any], *, settings: Settings
) -> str | None:
    if len(template) > MAX_URL_LENGTH:
        return f"Keep the URL within {MAX_URL_LENGTH} characters."
    try:
        # Parsed, never formatted: see core/tools/url_templates.py.
        parsed = UrlTemplate.parse(template)
    except TemplateError:
        return "Use {parameter} placeholders only: a parameter's name, nothing else."
    # The scheme and the host must be fixed text before any placeholder; anything else would
    # let the model's arguments choose where the secret headers go.
    origin = _fixed_origin(parsed.fixed_prefix, whole=not parsed.names)
    if isinstance(origin, str):
        return origin
    host, port = origin
    unknown = parsed.names - set((parameters.get("properties") or {}).keys())
    if unknown:
        return f"Placeholders must be parameters: {', '.join(sorted(unknown))}."
    try:
        await check_destination(
            host,
            port,
            allowed=settings.http_tool_allowed_networks,
            resolve_timeout=_DESTINATION_RESOLVE_SECONDS,
        )
    except BlockedDestination:
        return "That host cannot be reached from calls: it is private, local or internal."
    return None


def _fixed_origin(prefix: str, *, whole: bool) -> tuple[str, int] | str:
    """The host and port of the URL's fixed start, or why it is not an acceptable one.

    `prefix` is the template's text before its first placeholder; unless it is the whole
    template, its authority must end (with /, ? or #) before that placeholder."""
    try:
        parts = urlsplit(prefix)
        port = parts.port
    except ValueError:
        return _URL_EXAMPLE
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _URL_EXAMPLE
    authority_ends = any(mark in prefix[len(parts.scheme) + 3 :] for mark in "/?#")
    if not whole and not authority_ends:
        return "The host must be fixed, not a parameter."
    if parts.username is not None or parts.password is not None:
        return "Put credentials in a secret header, not in the URL."
    if "{" in parts.netloc or "}" in parts.netloc:
        return "The host must be fixed, not a parameter."
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _header_problems(headers: Any, field: str) -> list[FieldError]:
    try:
        _check_headers(headers, field)
    except ServiceError as error:
        return error.errors
    return []


def _check_headers(headers: Any, field: str) -> None:
    if not isinstance(headers, dict) or not all(
        isinstance(k, str)
        and isinstance(v, str)
        and _HEADER_RE.match(k)
        and k.lower() not in _RESERVED_HEADERS
        and "\n" not in v
        and "\r" not in v
        and len(v) <= 4000
        for k, v in headers.items()
    ):
        raise ServiceError.single(
            CustomFunctionErrorCode.INVALID_HEADERS,
            "Headers are name/value strings; Host, Content-Length and the like are not allowed.",
            field,
        )


def _name_taken() -> ServiceError:
    return ServiceError.single(
        CustomFunctionErrorCode.NAME_TAKEN, "A function with this name exists.", "name"
    )
