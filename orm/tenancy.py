"""Which organizations the database work of the current task may reach: the tenancy scope.

On PostgreSQL the tenant tables have row-level security policies (migration 9) that admit a
row only when its organization is among `app.organization_ids`, or when `app.platform` is
`on`. The scope lives in a context variable; the database client (orm/scoped_postgres.py)
puts it on every connection before the connection runs a statement for the task. Entry
points (a GraphQL operation, a webhook, a worker job, a CLI command, a background loop)
set it with `core.tenancy`; code that sets none reaches no tenant row at all.

SQLite has no row-level security: there the scope is kept, and nothing enforces it beyond
the application's own checks.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

_generations = itertools.count(1)


@dataclass(frozen=True)
class Scope:
    """The organizations a task's statements may reach, or every one (`platform`).

    `member` adds the organizations a person belongs to, which the database reads itself
    when it takes the scope (`app_user_organizations`, in the same statement): no extra
    round trip, and always the memberships of that moment. Such a scope is taken afresh
    by each unit of work (`generation`), so a connection that kept it from an earlier
    request reads the memberships again."""

    organization_ids: frozenset[uuid.UUID] = frozenset()
    platform: bool = False
    member: uuid.UUID | None = None
    generation: int = 0
    # Why a platform scope was taken (a platform admin, the janitor, a CLI command...).
    reason: str = field(default="", compare=False)

    @classmethod
    def of_member(cls, user_id: uuid.UUID) -> Scope:
        return cls(member=user_id, generation=next(_generations))

    def settings(self) -> tuple[str, str]:
        """The values of `app.organization_ids` (a PostgreSQL uuid[] literal; a member's
        organizations are added by the database) and `app.platform` that say this scope."""
        ids = ",".join(sorted(str(org_id) for org_id in self.organization_ids))
        return "{" + ids + "}", "on" if self.platform else "off"

    def admitting(self, organization_ids: Iterable[uuid.UUID]) -> Scope:
        return Scope(
            self.organization_ids | frozenset(organization_ids),
            self.platform,
            self.member,
            self.generation,
            self.reason,
        )


NOTHING = Scope()


class _Cell:
    """The scope of one entry point's work. Mutable, so that an organization admitted
    during the work (one just created, one just joined) is reached by every task of it."""

    __slots__ = ("scope",)

    def __init__(self, scope: Scope) -> None:
        self.scope = scope


_current: ContextVar[_Cell | None] = ContextVar("voiceagents_tenancy_scope", default=None)


def current() -> Scope:
    """The scope the current task's statements run with (NOTHING when none was set)."""
    cell = _current.get()
    return NOTHING if cell is None else cell.scope


@contextlib.contextmanager
def scoped(scope: Scope) -> Iterator[Scope]:
    """Run the block's database work with this scope (and nothing wider)."""
    previous = enter(scope)
    try:
        yield scope
    finally:
        leave(previous)


def enter(scope: Scope) -> _Cell | None:
    """Set the scope without a block (an extension's hooks); `leave` with what it returns.

    Unlike a ContextVar token, the previous value can be put back from another context
    (an async generator closed by another task), where a token would raise."""
    previous = _current.get()
    _current.set(_Cell(scope))
    return previous


def leave(previous: _Cell | None) -> None:
    _current.set(previous)


def admit(organization_ids: Iterable[uuid.UUID]) -> None:
    """Widen the current work's scope with organizations its principal has just gained
    (one it created, one whose invitation it accepted)."""
    cell = _current.get()
    if cell is None:
        cell = _Cell(NOTHING)
        _current.set(cell)
    cell.scope = cell.scope.admitting(organization_ids)
