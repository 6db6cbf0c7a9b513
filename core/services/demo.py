"""The demo organization `make run` seeds, so a fresh machine has something to look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from core.rbac import BuiltinRole
from core.security.passwords import hash_password
from core.services import credits, organizations, roles
from core.settings import Settings
from orm.models import Membership, Organization, PhoneNumber, Role, User, VoiceAgent

DEMO_EMAIL = "demo-admin@example.com"
DEMO_SLUG = "demo"
# A fictional number (555-01xx). The demo holds it without buying anything: it is not linked
# to Twilio, so it routes nothing until `phoneNumberImport` links a number the platform's
# Twilio account really has.
DEMO_PHONE_NUMBER = "+12025550123"


@dataclass(frozen=True)
class DemoSeed:
    organization_name: str
    organization_slug: str
    email: str


async def seed(*, password: str, settings: Settings) -> DemoSeed:
    """Create or refresh the demo organization, its admin (with this password), and an agent
    answering the demo's number."""
    await roles.sync_builtin_roles()
    password_hash = await hash_password(password)
    async with in_transaction():
        user = await User.get_or_none(email=DEMO_EMAIL)
        if user is None:
            user = await User.create(
                email=DEMO_EMAIL,
                full_name="Demo Admin",
                password_hash=password_hash,
                email_verified_at=datetime.now(UTC),
            )
        else:
            user.password_hash = password_hash
            user.is_active = True
            await user.save(update_fields=["password_hash", "is_active", "updated_at"])
        organization, _ = await Organization.get_or_create(
            slug=DEMO_SLUG, defaults={"name": "Demo Dental Clinic"}
        )
        admin_role = await Role.get(key=BuiltinRole.ORG_ADMIN.value)
        await Membership.update_or_create(
            user=user, organization=organization, defaults={"role": admin_role}
        )
        number = await _demo_number(organization)
        if not await VoiceAgent.exists(organization=organization):
            await VoiceAgent.create(
                organization=organization,
                name="Reception",
                system_prompt=(
                    "You are the friendly receptionist of Demo Dental Clinic. Help callers "
                    "book, move or cancel appointments. Be brief and warm."
                ),
                greeting="Hello, thank you for calling Demo Dental Clinic. How can I help?",
                voice="Puck",
                language="en-US",
                phone_number=number,
            )
    if settings.welcome_credits > 0:
        await credits.apply(**organizations.welcome_grant(organization.id, settings))
    return DemoSeed(organization.name, organization.slug, DEMO_EMAIL)


async def _demo_number(organization: Organization) -> PhoneNumber | None:
    """The demo's number, held by the demo; None if it was released or someone else holds
    it."""
    number, _ = await PhoneNumber.get_or_create(
        e164=DEMO_PHONE_NUMBER,
        defaults={"organization": organization, "friendly_name": "(202) 555-0123"},
    )
    held = number.organization_id == organization.id and number.status == "active"
    return number if held else None
