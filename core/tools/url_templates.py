"""URL templates of custom HTTP functions: `{name}` placeholders and nothing else.

A template is parsed (`string.Formatter().parse`), never run through `str.format`: a
format spec (`{q:>300000000}` pads to 300 MB), a conversion (`{q!r}`), an attribute
(`{q.__class__}`) or an index (`{q[0]}`) would let whoever writes the template allocate
memory or reach into objects on every call. The API checks a template when it is defined,
and the worker parses it again before each call, since a stored row may predate the rules.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

# Of the template when defined, and of the URL built from it at call time.
MAX_URL_LENGTH = 2000
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TemplateError(ValueError):
    """The template holds something other than literal text and bare `{name}` placeholders."""


@dataclass(frozen=True)
class UrlTemplate:
    # Literal text (braces unescaped), each followed by a placeholder name or None at the end.
    pieces: tuple[tuple[str, str | None], ...]

    @classmethod
    def parse(cls, template: str) -> UrlTemplate:
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:
            raise TemplateError("unbalanced braces") from None
        pieces: list[tuple[str, str | None]] = []
        canonical: list[str] = []
        for literal, name, format_spec, conversion in parsed:
            canonical.append(literal.replace("{", "{{").replace("}", "}}"))
            if name is None:
                pieces.append((literal, None))
                continue
            if not _NAME.fullmatch(name) or format_spec or conversion:
                raise TemplateError("a placeholder that is not a bare name")
            canonical.append("{" + name + "}")
            pieces.append((literal, name))
        # parse() reports `{q:}` exactly like `{q}`: only the spelling tells them apart.
        if "".join(canonical) != template:
            raise TemplateError("a placeholder that is not a bare name")
        return cls(tuple(pieces))

    @property
    def names(self) -> set[str]:
        return {name for _, name in self.pieces if name is not None}

    @property
    def fixed_prefix(self) -> str:
        """The literal text before the first placeholder (all of it when there is none)."""
        prefix = []
        for literal, name in self.pieces:
            prefix.append(literal)
            if name is not None:
                break
        return "".join(prefix)

    def expand(self, values: Mapping[str, str]) -> str:
        """The URL with each placeholder replaced by its value, percent-encoded whole."""
        return "".join(
            literal + (quote(values[name], safe="") if name is not None else "")
            for literal, name in self.pieces
        )
