"""Validating tool configuration against a tool's stored JSON schema."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


def _is_time_zone(value: object) -> bool:
    # A tool's config schema may say {"format": "time-zone"} for IANA names.
    if not isinstance(value, str) or not value:
        return False
    ZoneInfo(value)
    return True


@cache
def _formats() -> Any:
    # jsonschema is imported when a configuration is checked: ~3 MB (with its schema
    # registry) that an API process serving reads never needs.
    from jsonschema import FormatChecker

    formats = FormatChecker()
    formats.checks("time-zone", raises=(ZoneInfoNotFoundError, ValueError))(_is_time_zone)
    return formats


def _validator(schema: dict[str, Any]) -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=_formats())


def config_problems(config: Any, schema: dict[str, Any]) -> list[str]:
    """Readable reasons why `config` breaks `schema`; empty when it is valid."""
    validator = _validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path)
        problems.append(f"{where}: {error.message}" if where else error.message)
    return problems


# Rules whose messages name keys of the object, never a submitted value.
_SAFE_RULES = {"required", "additionalProperties", "propertyNames", "dependentRequired"}


def secret_problems(secrets: Any, schema: dict[str, Any]) -> list[str]:
    """Like config_problems, but naming the field and the rule only: never a secret's value."""
    validator = _validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(secrets), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path)
        if error.validator in _SAFE_RULES and not where:
            problems.append(error.message)
        else:
            problems.append(
                f"{where or 'secretConfig'}: breaks the schema's {error.validator!r} rule"
            )
    return problems
