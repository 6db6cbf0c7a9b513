"""Which tables hold an organization's data, derived from the models.

A model with an `organization` relation is tenant data (its rows carry `organization_id`);
so is `organizations` itself, and a model whose rows belong to tenant data through another
relation (an OAuth flow under way belongs to its agent tool). Every other model is listed in
NOT_TENANT_DATA with the reason it is not; a model in neither fails the suite, so a new
table cannot be added without deciding, and a new tenant table without a policy fails too.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import Model

import orm.models
from orm.models import Organization

NOT_TENANT_DATA = {
    "users": "people, shared by every organization they belong to; reached by their own id "
    "(the signed-in person) or by email at sign-in",
    "auth_sessions": "a person's signed-in devices, reached by the access token's session id",
    "refresh_tokens": "a session's refresh tokens, reached by digest",
    "one_time_tokens": "a person's mailed tokens (verification, reset), reached by digest",
    "google_identities": "the Google accounts a person signs in with",
    "google_sign_in_states": "started Google sign-ins, reached by digest, before sign-in",
    "sign_in_attempts": "throttling by email and client address, before anyone is signed in",
    "email_outbox": "mail to a person's address, composed and sent by the platform",
    "roles": "the platform's role catalogue: built-in roles and platform admins' custom ones",
    "role_permissions": "the permissions of the platform's roles",
    "plans": "the platform's price list",
    "platform_tools": "the platform's tool catalogue",
    "stripe_events": "which Stripe event ids were processed (id, type, outcome)",
}


@dataclass(frozen=True)
class TenantTable:
    table: str
    # How a row's organization is read in SQL, with the table aliased `t`.
    organization_of_row: str
    # For a table reached through another: that table (its policy must name it).
    parent: str | None = None


def _models() -> list[type[Model]]:
    return [
        model
        for model in (getattr(orm.models, name) for name in sorted(orm.models.__all__))
        if isinstance(model, type) and issubclass(model, Model)
    ]


def _relations(model: type[Model]) -> dict[str, type[Model]]:
    """The model's foreign keys by field name, read from the declarations ("models.Call"),
    so that no ORM needs to be running."""
    meta = model._meta
    return {
        name: getattr(orm.models, meta.fields_map[name].model_name.split(".", 1)[1])  # type: ignore[attr-defined]
        for name in meta.fk_fields | meta.o2o_fields
    }


def tenant_tables() -> dict[str, TenantTable]:
    """Every table of tenant data, by name, with how its rows' organization is read."""
    found: dict[type[Model], TenantTable] = {
        Organization: TenantTable("organizations", "t.id"),
    }
    for model in _models():
        if _relations(model).get("organization") is Organization:
            found[model] = TenantTable(model._meta.db_table, "t.organization_id")
    # Rows that belong to tenant data through another relation, until nothing changes.
    changed = True
    while changed:
        changed = False
        for model in _models():
            if model in found:
                continue
            for name, related in _relations(model).items():
                if related in found:
                    parent = found[related]
                    inner = parent.organization_of_row.replace("t.", "p.")
                    found[model] = TenantTable(
                        model._meta.db_table,
                        f'(SELECT {inner} FROM "{parent.table}" p WHERE p.id = t.{name}_id)',
                        parent.table,
                    )
                    changed = True
                    break
    return {entry.table: entry for entry in found.values()}


def model_tables() -> set[str]:
    return {model._meta.db_table for model in _models()}
