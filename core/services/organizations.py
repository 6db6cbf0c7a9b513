"""Organizations: the tenants."""

from __future__ import annotations

import enum
import re
import secrets
import uuid
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import FieldError, NotFound, ServiceError
from core.rbac import BuiltinRole
from core.services import credits
from core.settings import Settings, get_settings
from orm.models import Membership, Organization, Role, User

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class OrganizationErrorCode(enum.Enum):
    INVALID_NAME = "invalid_name"
    INVALID_SLUG = "invalid_slug"
    SLUG_TAKEN = "slug_taken"
    INVALID_WEBSITE = "invalid_website"
    INVALID_DESCRIPTION = "invalid_description"
    EMAIL_NOT_VERIFIED = "email_not_verified"


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48].strip("-")
    return slug or "org"


async def get(*, organization_id: uuid.UUID) -> Organization:
    """One organization by id."""
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise NotFound("Organization")
    return organization


async def get_all_for_user(*, user: User) -> list[Organization]:
    """The organizations the user belongs to, by name."""
    return await Organization.filter(memberships__user_id=user.id, is_active=True).order_by(
        "name", "id"
    )


async def create(
    *, creator: User, name: str, slug: str | None = None, settings: Settings | None = None
) -> Organization:
    """Create an organization; its creator becomes its first org_admin.

    It starts with the welcome credits (WELCOME_CREDITS), granted through the ledger, once its
    creator's email is verified (grant_welcome_credits). A creator whose email is not verified
    may create only UNVERIFIED_MAX_ORGANIZATIONS organizations.
    """
    settings = settings or get_settings()
    name = name.strip()
    problems = _name_problems(name)
    if slug is not None:
        slug = slug.strip().lower()
        problems += _slug_problems(slug)
    if problems:
        raise ServiceError(*problems)
    admin_role = await Role.get(key=BuiltinRole.ORG_ADMIN.value)
    candidate = slug or slugify(name)
    for _ in range(5):
        try:
            async with in_transaction():
                verified = await _ensure_may_create(creator, settings)
                organization = await Organization.create(
                    name=name, slug=candidate, created_by=creator
                )
                await Membership.create(user=creator, organization=organization, role=admin_role)
                if verified:
                    await _grant_welcome(organization, settings)
            return organization
        except IntegrityError as error:
            if slug is not None:
                raise _slug_taken() from error
            candidate = f"{slugify(name)[:40]}-{secrets.token_hex(3)}"
    raise _slug_taken()


def welcome_grant(organization_id: uuid.UUID, settings: Settings) -> dict[str, Any]:
    """The ledger entry of an organization's welcome credits; its reference makes it once."""
    return {
        "organization_id": organization_id,
        "amount": settings.welcome_credits,
        "kind": credits.CreditKind.GRANT,
        "reason": "Welcome credits",
        "reference": f"welcome:{organization_id}",
        "settings": settings,
    }


async def grant_welcome_credits(*, creator: User, settings: Settings) -> None:
    """The creator's email is verified: the organizations it created get their welcome credits
    (once each; the ledger reference makes a second grant a no-op)."""
    if settings.welcome_credits <= 0:
        return
    for organization in await Organization.filter(created_by_id=creator.id):
        await credits.apply(**welcome_grant(organization.id, settings))


async def _grant_welcome(organization: Organization, settings: Settings) -> None:
    if settings.welcome_credits > 0:
        await credits.apply_in_transaction(**welcome_grant(organization.id, settings))


async def _ensure_may_create(creator: User, settings: Settings) -> bool:
    """Whether the creator's email is verified; an unverified one may create only a few
    organizations. Inside the creating transaction, with the creator's row locked, so
    simultaneous creations count each other (SQLite serialises transactions anyway)."""
    locked = await User.filter(id=creator.id).select_for_update().first()
    if locked is not None and locked.email_verified_at is not None:
        return True
    created = await Organization.filter(created_by_id=creator.id).count()
    if created >= settings.unverified_max_organizations:
        raise ServiceError.single(
            OrganizationErrorCode.EMAIL_NOT_VERIFIED,
            "Verify your email address to create more organizations.",
        )
    return False


async def update(*, organization: Organization, changes: dict[str, Any]) -> Organization:
    """Change name, slug, description, website or business details."""
    problems: list[FieldError] = []
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        problems += _name_problems(changes["name"])
    if "slug" in changes:
        changes["slug"] = changes["slug"].strip().lower()
        problems += _slug_problems(changes["slug"])
    if "website" in changes:
        website = changes["website"].strip()
        if website and (len(website) > 300 or not re.match(r"^https?://\S+$", website)):
            problems.append(
                FieldError(
                    "website", "Enter an http(s) URL.", OrganizationErrorCode.INVALID_WEBSITE
                )
            )
        changes["website"] = website
    if "description" in changes and len(changes["description"]) > 5000:
        problems.append(
            FieldError(
                "description",
                "Use at most 5000 characters.",
                OrganizationErrorCode.INVALID_DESCRIPTION,
            )
        )
    if problems:
        raise ServiceError(*problems)
    if not changes:
        return organization
    if (
        "slug" in changes
        and await Organization.filter(slug=changes["slug"]).exclude(id=organization.id).exists()
    ):
        raise _slug_taken()
    organization.update_from_dict(changes)
    try:
        await organization.save(update_fields=[*changes.keys(), "updated_at"])
    except IntegrityError as error:
        raise _slug_taken() from error
    return organization


def _name_problems(name: str) -> list[FieldError]:
    if 1 <= len(name) <= 200:
        return []
    return [
        FieldError(
            "name", "Enter a name of up to 200 characters.", OrganizationErrorCode.INVALID_NAME
        )
    ]


def _slug_problems(slug: str) -> list[FieldError]:
    if _SLUG_RE.match(slug):
        return []
    return [
        FieldError(
            "slug",
            "Use 1-63 lower-case letters, digits and inner hyphens.",
            OrganizationErrorCode.INVALID_SLUG,
        )
    ]


def _slug_taken() -> ServiceError:
    return ServiceError.single(
        OrganizationErrorCode.SLUG_TAKEN, "This slug is already taken.", "slug"
    )
