"""Validating tool configuration against a tool's stored JSON schema."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jsonschema import Draft202012Validator, FormatChecker

_formats = FormatChecker()


@_formats.checks("time-zone", raises=(ZoneInfoNotFoundError, ValueError))
def _is_time_zone(value: object) -> bool:
    # A tool's config schema may say {"format": "time-zone"} for IANA names.
    if not isinstance(value, str) or not value:
        return False
    ZoneInfo(value)
    return True


def config_problems(config: Any, schema: dict[str, Any]) -> list[str]:
    """Readable reasons why `config` breaks `schema`; empty when it is valid."""
    validator = Draft202012Validator(schema, format_checker=_formats)
    problems = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path)
        problems.append(f"{where}: {error.message}" if where else error.message)
    return problems
