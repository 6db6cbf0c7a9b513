"""Members and invitations of an organization. An organization never loses its last admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import tenancy
from core.access import OrgAccess
from core.email import outbox
from core.email.templates import humanize_seconds
from core.errors import DescribedEnum, NotFound, ServiceError
from core.events import EventBus, RevocationKind
from core.rbac import BuiltinRole
from core.security.tokens import digest, new_secret
from core.services import credentials, organizations, roles
from core.services.accounts import email_problem, normalize_email
from core.settings import Settings
from orm.models import Invitation, Membership, Organization, Role, User
from orm.queries import flat_values


class MemberErrorCode(DescribedEnum):
    INVALID_EMAIL = "invalid_email", "`email` is not an email address."
    INVALID_ROLE = (
        "invalid_role",
        "`role` names no role that can be held in an organization (`platform_admin` cannot).",
    )
    ROLE_NOT_GRANTABLE = (
        "role_not_grantable",
        "The role, or the member's current role, holds a permission you lack here: only "
        "someone who holds every permission of a role may grant it or take it away.",
    )
    OWN_ROLE = "own_role", "Nobody changes their own role."
    ALREADY_MEMBER = "already_member", "The person is already a member of the organization."
    LAST_ADMIN = (
        "last_admin",
        "The organization would be left without an admin; make someone else admin first.",
    )
    INVALID_TOKEN = "invalid_token", "The invitation is unknown, used, revoked or expired."
    TOO_MANY_MAILS = (
        "too_many_mails",
        "Too many invitations were mailed to this address lately; try again later.",
    )
    EMAIL_MISMATCH = (
        "email_mismatch",
        "The invitation was sent to another email address than the signed-in user's.",
    )


async def get_membership(*, organization: Organization, membership_id: uuid.UUID) -> Membership:
    """One membership of this organization."""
    membership = await Membership.get_or_none(
        id=membership_id, organization_id=organization.id
    ).select_related("role", "user")
    if membership is None:
        raise NotFound("Membership")
    return membership


async def invite(
    *,
    organization: Organization,
    inviter: User | None,
    email: str,
    role_key: str,
    granted_by: OrgAccess,
    settings: Settings,
) -> Invitation:
    """Invite someone by email with a role the granter holds; it replaces an older invitation."""
    email = normalize_email(email)
    if message := email_problem(email):
        raise ServiceError.single(MemberErrorCode.INVALID_EMAIL, message, "email")
    role = await _role(role_key)
    await _ensure_grantable(role, organization, granted_by)
    if await Membership.exists(organization_id=organization.id, user__email=email):
        raise ServiceError.single(
            MemberErrorCode.ALREADY_MEMBER, "This person is already a member.", "email"
        )
    token = new_secret("vainv")
    now = datetime.now(UTC)
    try:
        async with in_transaction():
            replaced = await flat_values(
                Invitation.filter(
                    organization_id=organization.id, email=email, accepted_at=None, revoked_at=None
                ),
                "id",
            )
            await Invitation.filter(id__in=list(replaced)).update(revoked_at=now)
            await outbox.forget_secrets(refs=[_invitation_ref(old) for old in replaced])
            invitation = await Invitation.create(
                organization=organization,
                email=email,
                role=role,
                token_hash=digest(token),
                invited_by=inviter,
                expires_at=now + timedelta(seconds=settings.invitation_ttl_seconds),
            )
            link = f"{settings.dashboard_url.rstrip('/')}/invitations/accept?token={token}"
            await outbox.enqueue(
                to_address=email,
                template="invitation",
                values={
                    "inviter": inviter.full_name if inviter else organization.name,
                    "organization": organization.name,
                    "role": role.name,
                    "expires_in": humanize_seconds(settings.invitation_ttl_seconds),
                },
                # The link is sealed on the mail's row; it reaches the table in no other form.
                secret=outbox.MailSecret(
                    values={"link": link},
                    ref=_invitation_ref(invitation.id),
                    expires_at=invitation.expires_at,
                ),
                settings=settings,
                limited=True,
            )
    except outbox.TooManyMails:
        raise ServiceError.single(
            MemberErrorCode.TOO_MANY_MAILS,
            "Too many invitations were mailed to this address lately. Try again later.",
            "email",
        ) from None
    return invitation


async def get_pending_invitations(*, organization: Organization) -> list[Invitation]:
    """Invitations that can still be accepted, newest first."""
    return (
        await Invitation.filter(
            organization_id=organization.id,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=datetime.now(UTC),
        )
        .order_by("-created_at")
        .select_related("role")
    )


async def revoke_invitation(*, organization: Organization, invitation_id: uuid.UUID) -> Invitation:
    """Withdraw a pending invitation."""
    invitation = await Invitation.get_or_none(id=invitation_id, organization_id=organization.id)
    if invitation is None:
        raise NotFound("Invitation")
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = datetime.now(UTC)
        await invitation.save(update_fields=["revoked_at", "updated_at"])
        await outbox.forget_secret(ref=_invitation_ref(invitation.id))
    return invitation


async def accept(*, user: User, token: str, settings: Settings) -> Membership:
    """Join the organization of an invitation addressed to this user's email."""
    invalid = ServiceError.single(
        MemberErrorCode.INVALID_TOKEN, "This invitation is invalid, used or expired.", "token"
    )
    now = datetime.now(UTC)
    # The invitation's organization, found by the token's digest: the invitee is no member
    # yet, so it is outside their scope until they join.
    organization_id = await tenancy.invitation_organization(digest(token))
    with tenancy.widened([organization_id]):
        membership = await _join(user=user, token=token, now=now, invalid=invalid)
    tenancy.admit([membership.organization_id])
    # A person who got the mail has proved they own the address.
    if user.email_verified_at is None:
        await User.filter(id=user.id).update(email_verified_at=now)
        await organizations.grant_welcome_credits(creator=user, settings=settings)
    return membership


async def _join(*, user: User, token: str, now: datetime, invalid: ServiceError) -> Membership:
    invitation = await Invitation.get_or_none(
        token_hash=digest(token),
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=now,
        organization__is_active=True,
    )
    if invitation is None:
        raise invalid
    if invitation.email != user.email:
        raise ServiceError.single(
            MemberErrorCode.EMAIL_MISMATCH,
            "This invitation was sent to another email address.",
            "token",
        )
    try:
        async with in_transaction():
            if not await Invitation.filter(id=invitation.id, accepted_at=None).update(
                accepted_at=now
            ):
                raise invalid
            await outbox.forget_secret(ref=_invitation_ref(invitation.id))
            existing = await Membership.get_or_none(
                user_id=user.id,
                organization_id=invitation.organization_id,
            )
            if existing is not None:
                return await existing
            return await Membership.create(
                user=user,
                organization_id=invitation.organization_id,
                role_id=invitation.role_id,
            )
    except IntegrityError as error:  # joined concurrently through another invitation
        raise ServiceError.single(
            MemberErrorCode.ALREADY_MEMBER, "You are already a member.", "token"
        ) from error


async def update_role(
    *,
    organization: Organization,
    membership_id: uuid.UUID,
    role_key: str,
    granted_by: OrgAccess,
    changed_by: User | None,
    bus: EventBus | None,
) -> Membership:
    """Give someone else a role the granter holds; the last admin cannot be demoted."""
    role = await _role(role_key)
    async with in_transaction():
        membership = await _locked_membership(organization, membership_id)
        if changed_by is not None and membership.user.id == changed_by.id:
            raise ServiceError.single(
                MemberErrorCode.OWN_ROLE, "You cannot change your own role.", "membership_id"
            )
        await _ensure_outranked(membership, organization, granted_by)
        await _ensure_grantable(role, organization, granted_by)
        if membership.role.key == BuiltinRole.ORG_ADMIN.value and role.key != membership.role.key:
            await _ensure_another_admin(organization, membership)
        membership.role = role
        await membership.save(update_fields=["role_id", "updated_at"])
    await _announce_access_changed(membership, reason="role_changed", bus=bus)
    return membership


async def remove(
    *,
    organization: Organization,
    membership_id: uuid.UUID,
    removed_by: OrgAccess,
    bus: EventBus | None,
) -> Membership:
    """Remove a member who holds no permission the remover lacks; the last admin stays."""
    async with in_transaction():
        membership = await _locked_membership(organization, membership_id)
        await _ensure_outranked(membership, organization, removed_by)
        if membership.role.key == BuiltinRole.ORG_ADMIN.value:
            await _ensure_another_admin(organization, membership)
        await membership.delete()
    await _announce_access_changed(membership, reason="removed", bus=bus)
    return membership


async def _announce_access_changed(
    membership: Membership, *, reason: str, bus: EventBus | None
) -> None:
    # Once committed: the person's live streams of the organization check their access again.
    await credentials.announce(
        bus=bus,
        kind=RevocationKind.MEMBERSHIP,
        subject_id=membership.user_id,
        organization_id=membership.organization_id,
        reason=reason,
    )


def _invitation_ref(invitation_id: uuid.UUID) -> str:
    """What the invitation mail's sealed link is tied to (outbox.forget_secret)."""
    return f"invitation:{invitation_id}"


async def _locked_membership(organization: Organization, membership_id: uuid.UUID) -> Membership:
    # Serialise admin changes per organization so two admins cannot demote each
    # other at once (FOR UPDATE on PostgreSQL; SQLite serialises writers anyway).
    await Organization.filter(id=organization.id).select_for_update().first()
    return await get_membership(organization=organization, membership_id=membership_id)


async def _ensure_another_admin(organization: Organization, membership: Membership) -> None:
    admins = (
        await Membership.filter(
            organization_id=organization.id, role__key=BuiltinRole.ORG_ADMIN.value
        )
        .exclude(id=membership.id)
        .count()
    )
    if admins == 0:
        raise ServiceError.single(
            MemberErrorCode.LAST_ADMIN,
            "An organization needs at least one admin. Make someone else admin first.",
            "role",
        )


async def _role(role_key: str) -> Role:
    try:
        return await roles.get_assignable(key=role_key)
    except ServiceError as error:
        raise ServiceError.single(
            MemberErrorCode.INVALID_ROLE, error.errors[0].message, "role"
        ) from error


async def _ensure_outranked(
    membership: Membership, organization: Organization, acting: OrgAccess
) -> None:
    # A role could be taken away only by someone who could have given it: otherwise a
    # member:manage role would demote or remove the admins who hold more than it does.
    try:
        await roles.ensure_grantable(
            role=membership.role, organization=organization, granted_by=acting
        )
    except ServiceError:
        raise ServiceError.single(
            MemberErrorCode.ROLE_NOT_GRANTABLE,
            "This member holds permissions you lack; only someone who holds them can change "
            "their role or remove them.",
            "membership_id",
        ) from None


async def _ensure_grantable(role: Role, organization: Organization, granted_by: OrgAccess) -> None:
    try:
        await roles.ensure_grantable(role=role, organization=organization, granted_by=granted_by)
    except ServiceError as error:
        raise ServiceError.single(
            MemberErrorCode.ROLE_NOT_GRANTABLE, error.errors[0].message, "role"
        ) from error
