"""Organizations: the tenants."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import tenancy
from core.errors import DescribedEnum, NotFound, ServiceError
from core.inputs import UNSET, Changes, Invalid, Maybe, Rule, clean, columns
from core.rbac import BuiltinRole
from core.services import credits
from core.settings import Settings, get_settings
from orm.models import Membership, Organization, Role, User

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
MAX_DESCRIPTION_LENGTH = 5000


class OrganizationErrorCode(DescribedEnum):
    INVALID_NAME = "invalid_name", "`name` is empty or longer than 200 characters."
    INVALID_SLUG = (
        "invalid_slug",
        "`slug` is not 1 to 63 lower-case letters, digits and inner hyphens.",
    )
    SLUG_TAKEN = "slug_taken", "Another organization has this slug."
    INVALID_WEBSITE = (
        "invalid_website",
        "`website` is not an http(s) URL of at most 300 characters.",
    )
    INVALID_DESCRIPTION = (
        "invalid_description",
        f"`description` is longer than {MAX_DESCRIPTION_LENGTH:,} characters.",
    )
    EMAIL_NOT_VERIFIED = (
        "email_not_verified",
        "Verify your email address first: until then an account may create only a few "
        "organizations (one by default).",
    )
    INVALID_BUSINESS_DETAILS = "invalid_business_details", "`businessDetails` is not a JSON object."


@dataclass(frozen=True, kw_only=True)
class OrganizationChanges(Changes):
    """Changes to an organization's settings: the fields given change, the UNSET ones stay."""

    name: Maybe[str] = UNSET
    slug: Maybe[str] = UNSET
    description: Maybe[str | None] = UNSET  # None: no description
    website: Maybe[str | None] = UNSET  # None: no website
    business_details: Maybe[dict[str, Any] | None] = UNSET  # None: none


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
    cleaned = await clean({"name": name, "slug": slug}, _RULES)
    name, slug = cleaned["name"], cleaned["slug"]
    admin_role = await Role.get(key=BuiltinRole.ORG_ADMIN.value)
    candidate = slug or slugify(name)
    # Its creator's work reaches it from now on (the rest of the request shows it).
    organization_id = uuid.uuid4()
    tenancy.admit([organization_id])
    for _ in range(5):
        try:
            async with in_transaction():
                verified = await _ensure_may_create(creator, settings)
                organization = await Organization.create(
                    id=organization_id, name=name, slug=candidate, created_by=creator
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
    created = await tenancy.organizations_created_by(creator.id)
    with tenancy.widened(created):
        for organization_id in created:
            await credits.apply(**welcome_grant(organization_id, settings))


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
    created = len(await tenancy.organizations_created_by(creator.id))
    if created >= settings.unverified_max_organizations:
        raise ServiceError.single(
            OrganizationErrorCode.EMAIL_NOT_VERIFIED,
            "Verify your email address to create more organizations.",
        )
    return False


async def update(*, organization: Organization, changes: OrganizationChanges) -> Organization:
    """Change the organization's settings that are given; the others stay as they are."""
    cleaned = await clean(changes.changes(), _RULES)
    if not cleaned:
        return organization
    if (
        "slug" in cleaned
        and await Organization.filter(slug=cleaned["slug"]).exclude(id=organization.id).exists()
    ):
        raise _slug_taken()
    organization.update_from_dict(columns(Organization, cleaned))
    try:
        await organization.save(update_fields=[*cleaned, "updated_at"])
    except IntegrityError as error:
        raise _slug_taken() from error
    return organization


def _name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 200:
        raise Invalid("Enter a name of up to 200 characters.", OrganizationErrorCode.INVALID_NAME)
    return name


def _slug(value: str | None) -> str | None:
    if value is None:  # only when creating: derived from the name
        return None
    slug = value.strip().lower()
    if not _SLUG_RE.match(slug):
        raise Invalid(
            "Use 1-63 lower-case letters, digits and inner hyphens.",
            OrganizationErrorCode.INVALID_SLUG,
        )
    return slug


def _description(value: str | None) -> str:
    description = value or ""
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise Invalid(
            f"Use at most {MAX_DESCRIPTION_LENGTH} characters.",
            OrganizationErrorCode.INVALID_DESCRIPTION,
        )
    return description


def _website(value: str | None) -> str:
    website = (value or "").strip()
    if website and (len(website) > 300 or not re.match(r"^https?://\S+$", website)):
        raise Invalid("Enter an http(s) URL.", OrganizationErrorCode.INVALID_WEBSITE)
    return website


def _business_details(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid(
            "Give business details as a JSON object.",
            OrganizationErrorCode.INVALID_BUSINESS_DETAILS,
        )
    return value


# Each setting's rule; a setting without one is stored as given.
_RULES: dict[str, Rule] = {
    "name": _name,
    "slug": _slug,
    "description": _description,
    "website": _website,
    "business_details": _business_details,
}


def _slug_taken() -> ServiceError:
    return ServiceError.single(
        OrganizationErrorCode.SLUG_TAKEN, "This slug is already taken.", "slug"
    )
