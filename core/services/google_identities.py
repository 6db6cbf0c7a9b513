"""Google accounts and the users they lead to.

Google's `sub` is the key (stable; an address may move between Google accounts). A Google
account already linked signs in its user. A new one whose verified address matches no user
creates one: verified (Google vouched for the address) and without a password. One whose
address belongs to an existing user is linked to it only when that user's address is
verified: otherwise whoever signed up with the address (perhaps not its owner, perhaps
with a password the owner does not know) would keep a way into the owner's account.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import DescribedEnum
from core.integrations import google_oidc
from core.security.passwords import NO_PASSWORD
from core.services.accounts import email_problem, normalize_email
from core.settings import Settings
from orm.models import GoogleIdentity, User

__all__ = ["SignInRefusal", "SignInRefused", "link", "user_signing_in", "verified_account"]


class SignInRefusal(DescribedEnum):
    """The `error` the callback sends the browser back with."""

    CANCELLED = (
        "cancelled",
        "The person did not finish at Google (declined, or closed the account chooser).",
    )
    GOOGLE_UNAVAILABLE = (
        "google_unavailable",
        "Google could not be reached or answered with an error; start again.",
    )
    CODE_REFUSED = (
        "code_refused",
        "Google refused to exchange its authorization code (expired or already used); start again.",
    )
    INVALID_ID_TOKEN = (
        "invalid_id_token",
        "The ID token Google returned failed verification (signature, issuer, audience, "
        "expiry or nonce); nothing changed.",
    )
    EMAIL_NOT_VERIFIED = (
        "email_not_verified",
        "Google does not vouch for the Google account's email address (`email_verified` is "
        "not true).",
    )
    ACCOUNT_EMAIL_NOT_VERIFIED = (
        "account_email_not_verified",
        "An account with this email address exists, but its address was never verified: sign "
        "in with its password and verify the address (or link Google from there), then sign "
        "in with Google.",
    )
    ACCOUNT_DISABLED = "account_disabled", "The account is deactivated."
    GOOGLE_ACCOUNT_IN_USE = (
        "google_account_in_use",
        "Linking: this Google account is already linked to another account.",
    )
    SERVER_ERROR = (
        "server_error",
        "Something failed on our side (the server's log has it, with a reference); start again.",
    )


class SignInRefused(Exception):
    def __init__(self, refusal: SignInRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


async def verified_account(
    *, settings: Settings, code: str, code_verifier: str, nonce: str
) -> google_oidc.GoogleAccount:
    """The Google account behind the authorization code, with an address Google vouches for."""
    try:
        account = await google_oidc.verified_account(
            settings=settings, code=code, code_verifier=code_verifier, nonce=nonce
        )
    except google_oidc.CodeRefused:
        raise SignInRefused(SignInRefusal.CODE_REFUSED) from None
    except google_oidc.IdTokenRejected:
        raise SignInRefused(SignInRefusal.INVALID_ID_TOKEN) from None
    except (google_oidc.GoogleUnavailable, google_oidc.NotConfigured):
        raise SignInRefused(SignInRefusal.GOOGLE_UNAVAILABLE) from None
    if not account.email_verified:
        raise SignInRefused(SignInRefusal.EMAIL_NOT_VERIFIED)
    if email_problem(normalize_email(account.email)) is not None:
        raise SignInRefused(SignInRefusal.INVALID_ID_TOKEN)
    return account


async def user_signing_in(*, account: google_oidc.GoogleAccount, again: bool = True) -> User:
    """The user this Google account signs in: linked already, created, or linked by a
    verified address; SignInRefused otherwise."""
    now = datetime.now(UTC)
    email = normalize_email(account.email)
    identity = await GoogleIdentity.get_or_none(subject=account.subject).select_related("user")
    if identity is not None:
        user: User = identity.user
        if not user.is_active:
            raise SignInRefused(SignInRefusal.ACCOUNT_DISABLED)
        await GoogleIdentity.filter(id=identity.id).update(email=email, last_sign_in_at=now)
        return user
    try:
        user_or_none = await User.get_or_none(email=email)
        if user_or_none is None:
            async with in_transaction():
                user = await User.create(
                    email=email,
                    password_hash=NO_PASSWORD,
                    full_name=_full_name(account),
                    email_verified_at=now,
                )
                await GoogleIdentity.create(
                    user=user, subject=account.subject, email=email, last_sign_in_at=now
                )
            return user
        user = user_or_none
        if not user.is_active:
            raise SignInRefused(SignInRefusal.ACCOUNT_DISABLED)
        if user.email_verified_at is None:
            raise SignInRefused(SignInRefusal.ACCOUNT_EMAIL_NOT_VERIFIED)
        await GoogleIdentity.create(
            user=user, subject=account.subject, email=email, last_sign_in_at=now
        )
        return user
    except IntegrityError:
        # A simultaneous sign-in with the same Google account (or a sign-up with the same
        # address) came first: what it left decides.
        if not again:
            raise
        return await user_signing_in(account=account, again=False)


async def link(*, user_id: object, account: google_oidc.GoogleAccount) -> None:
    """Link the Google account to the user who started the flow (signed in when they did)."""
    user = await User.get_or_none(id=user_id)
    if user is None or not user.is_active:
        raise SignInRefused(SignInRefusal.ACCOUNT_DISABLED)
    email = normalize_email(account.email)
    existing = await GoogleIdentity.get_or_none(subject=account.subject)
    if existing is None:
        try:
            await GoogleIdentity.create(user=user, subject=account.subject, email=email)
            return
        except IntegrityError:  # linked elsewhere at the same moment
            existing = await GoogleIdentity.get(subject=account.subject)
    if existing.user_id != user.id:
        raise SignInRefused(SignInRefusal.GOOGLE_ACCOUNT_IN_USE)
    await GoogleIdentity.filter(id=existing.id).update(email=email)


def _full_name(account: google_oidc.GoogleAccount) -> str:
    name = (account.name or "").strip() or account.email.split("@", 1)[0]
    return name[:200]
