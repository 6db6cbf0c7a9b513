"""An organization's custom HTTP functions, API side (secret headers are sealed, never read)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import DescribedEnum, NotFound, ServiceError
from core.inputs import UNSET, Changes, Invalid, Maybe, Rule, clean, columns, given
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


class CustomFunctionErrorCode(DescribedEnum):
    INVALID_NAME = (
        "invalid_name",
        "`name` is not a letter followed by up to 63 letters, digits or underscores.",
    )
    NAME_TAKEN = (
        "name_taken",
        "The organization has a function of this name already, or a platform tool uses it.",
    )
    INVALID_DESCRIPTION = (
        "invalid_description",
        "`description` is empty or longer than 2,000 characters.",
    )
    INVALID_PARAMETERS = (
        "invalid_parameters",
        '`parameters` is not a valid JSON schema of an object (`{"type": "object", ...}`).',
    )
    INVALID_METHOD = "invalid_method", f"`method` is not one of {', '.join(METHODS)}."
    INVALID_URL = (
        "invalid_url",
        "`urlTemplate` is not an http(s) URL, has a placeholder that is not a parameter, or "
        "points at a private, local or internal host.",
    )
    INVALID_HEADERS = (
        "invalid_headers",
        "`headers` or `secretHeaders` is not an object of header names to string values, or "
        "sets a header the platform controls (`Host`, `Content-Length`, ...).",
    )
    INVALID_TIMEOUT = (
        "invalid_timeout",
        f"`timeoutSeconds` is not between 0.5 and {MAX_TIMEOUT_SECONDS:g}.",
    )
    UNKNOWN_FUNCTION = (
        "unknown_function",
        "`functionIds` names a function the agent's organization does not have.",
    )


@dataclass(frozen=True, kw_only=True)
class CustomFunctionCreate:
    """A new custom function. `create` writes every field but the secret headers onto the row
    (UNSET keeps the column's default); the secret headers are sealed to it."""

    name: str  # what the model calls, e.g. lookup_order
    description: str  # what the model reads to decide to call it
    parameters: dict[str, Any]  # JSON schema of an object
    method: str
    url_template: str  # http(s) URL with {parameter} placeholders
    headers: dict[str, str] = field(default_factory=dict)
    secret_headers: dict[str, str] = field(default_factory=dict)
    timeout_seconds: Maybe[float] = UNSET
    is_active: Maybe[bool] = UNSET


@dataclass(frozen=True, kw_only=True)
class CustomFunctionChanges(Changes):
    """Changes to a custom function: the fields given change, the UNSET ones stay."""

    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    parameters: Maybe[dict[str, Any]] = UNSET
    method: Maybe[str] = UNSET
    url_template: Maybe[str] = UNSET
    headers: Maybe[dict[str, str]] = UNSET
    secret_headers: Maybe[dict[str, str]] = UNSET  # replaces every secret header
    timeout_seconds: Maybe[float] = UNSET
    is_active: Maybe[bool] = UNSET


def secret_headers_context(function: CustomFunction) -> SealContext:
    return SealContext(
        table="custom_functions",
        row_id=function.id,
        organization_id=function.organization_id,
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
    *, organization_id: uuid.UUID, definition: CustomFunctionCreate, settings: Settings
) -> CustomFunction:
    """Define a function; secret headers are sealed to this row."""
    values = given(definition)
    secret_headers = values.pop("secret_headers")
    cleaned = await clean(values, _rules(values, settings=settings))
    _check_headers(secret_headers, "secret_headers")
    await _ensure_name_free(cleaned["name"], organization_id=organization_id, exclude_id=None)
    try:
        async with in_transaction():
            function = await CustomFunction.create(
                organization_id=organization_id, **columns(CustomFunction, cleaned)
            )
            if secret_headers:
                _seal_headers(function, secret_headers, settings)
                await function.save()
    except IntegrityError as error:
        raise _name_taken() from error
    return function


async def update(
    *, function: CustomFunction, changes: CustomFunctionChanges, settings: Settings
) -> CustomFunction:
    """Change the function's fields that are given; `secret_headers` replaces all of them."""
    values = changes.changes()
    secret_headers = values.pop("secret_headers", None)
    if "url_template" in values or "parameters" in values:
        # The URL's placeholders are checked against the parameters: validate them together.
        values.setdefault("url_template", function.url_template)
        values.setdefault("parameters", function.parameters)
    organization_id = function.organization_id
    cleaned = await clean(values, _rules(values, settings=settings))
    if secret_headers is not None:
        _check_headers(secret_headers, "secret_headers")
    if "name" in cleaned:
        await _ensure_name_free(
            cleaned["name"], organization_id=organization_id, exclude_id=function.id
        )
    function.update_from_dict(columns(CustomFunction, cleaned))
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
        organization_id=agent.organization_id,
    )
    if len(functions) != len(wanted):
        raise ServiceError.single(
            CustomFunctionErrorCode.UNKNOWN_FUNCTION, "Some functions do not exist.", "function_ids"
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
                    organization_id=agent.organization_id,
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


def _rules(values: dict[str, Any], *, settings: Settings) -> dict[str, Rule]:
    """Each field's rule; a field without one is stored as given. The URL's placeholders are
    checked against the parameters given beside it."""
    parameters = values.get("parameters") or _NO_PARAMETERS

    async def url_template(value: str | None) -> str:
        template = (value or "").strip()
        problem = await _url_problem(
            template, parameters if isinstance(parameters, dict) else {}, settings=settings
        )
        if problem:
            raise Invalid(problem, CustomFunctionErrorCode.INVALID_URL)
        return template

    return {
        "name": _name,
        "description": _description,
        "parameters": _parameters,
        "method": _method,
        "url_template": url_template,
        "headers": _headers,
        "timeout_seconds": _timeout_seconds,
        "is_active": bool,
    }


_NO_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}


async def _name(value: str | None) -> str:
    name = (value or "").strip()
    if not _NAME_RE.match(name):
        raise Invalid(
            "Use a letter, then up to 63 letters, digits or _.",
            CustomFunctionErrorCode.INVALID_NAME,
        )
    if name in await _platform_function_names():
        raise Invalid("A platform tool already uses this name.", CustomFunctionErrorCode.NAME_TAKEN)
    return name


def _description(value: str | None) -> str:
    description = (value or "").strip()
    if not 1 <= len(description) <= 2000:
        raise Invalid(
            "Describe it for the model (1-2000 characters).",
            CustomFunctionErrorCode.INVALID_DESCRIPTION,
        )
    return description


def _parameters(value: Any) -> Any:
    parameters = value or _NO_PARAMETERS
    problem = parameters_problem(parameters)
    if problem:
        raise Invalid(problem, CustomFunctionErrorCode.INVALID_PARAMETERS)
    return parameters


def _method(value: str | None) -> str:
    method = (value or "").upper()
    if method not in METHODS:
        raise Invalid(f"Use one of {', '.join(METHODS)}.", CustomFunctionErrorCode.INVALID_METHOD)
    return method


def _headers(value: Any) -> Any:
    headers = value or {}
    if not _headers_ok(headers):
        raise Invalid(_HEADERS_MESSAGE, CustomFunctionErrorCode.INVALID_HEADERS)
    return headers


def _timeout_seconds(value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0.5 <= float(value) <= MAX_TIMEOUT_SECONDS
    ):
        raise Invalid("Use 0.5 to 30 seconds.", CustomFunctionErrorCode.INVALID_TIMEOUT)
    return float(value)


async def _ensure_name_free(
    name: str, *, organization_id: uuid.UUID, exclude_id: uuid.UUID | None
) -> None:
    taken = CustomFunction.filter(organization_id=organization_id, name=name)
    if exclude_id is not None:
        taken = taken.exclude(id=exclude_id)
    if await taken.exists():
        raise _name_taken()


async def _platform_function_names() -> set[str]:
    names: set[str] = set()
    for schema in await PlatformTool.all().values_list("tool_functions_schema", flat=True):
        names.update(function["name"] for function in schema or [])
    return names


def parameters_problem(parameters: Any) -> str | None:
    """Why `parameters` is not a JSON schema of an object; None when it is one. Post-call
    analysis checks an agent's structured-data schema with this rule too."""
    if not isinstance(parameters, dict) or parameters.get("type") != "object":
        return 'Give a JSON schema of {"type": "object", "properties": {...}}.'
    # Imported when a schema is checked (core/services/tool_config.py says why).
    from jsonschema import Draft202012Validator

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


_HEADERS_MESSAGE = (
    "Headers are name/value strings; Host, Content-Length and the like are not allowed."
)


def _headers_ok(headers: Any) -> bool:
    return isinstance(headers, dict) and all(
        isinstance(k, str)
        and isinstance(v, str)
        and _HEADER_RE.match(k)
        and k.lower() not in _RESERVED_HEADERS
        and "\n" not in v
        and "\r" not in v
        and len(v) <= 4000
        for k, v in headers.items()
    )


def _check_headers(headers: Any, field: str) -> None:
    if not _headers_ok(headers):
        raise ServiceError.single(CustomFunctionErrorCode.INVALID_HEADERS, _HEADERS_MESSAGE, field)


def _name_taken() -> ServiceError:
    return ServiceError.single(
        CustomFunctionErrorCode.NAME_TAKEN, "A function with this name exists.", "name"
    )
