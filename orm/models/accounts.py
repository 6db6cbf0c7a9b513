"""People and their sessions."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel, nullable_text_field


class User(TimestampedModel):
    # Stored lower-cased by the service; uniqueness is therefore case-insensitive.
    email = fields.CharField(max_length=320, unique=True)
    password_hash = fields.CharField(max_length=255)
    full_name = fields.CharField(max_length=200)
    email_verified_at = fields.DatetimeField(null=True)
    is_active = fields.BooleanField(default=True, db_default=True)
    is_platform_admin = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "users"


class AuthSession(TimestampedModel):
    """One signed-in device: the family of rotating refresh tokens behind it.

    Access tokens carry the session id, so revoking the session (sign-out or a
    reused refresh token) ends its access tokens at once.
    """

    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: UUID
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=40, null=True)
    client_address = fields.CharField(max_length=64, null=True)
    user_agent = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "auth_sessions"


class RefreshToken(TimestampedModel):
    session: fields.ForeignKeyRelation[AuthSession] = fields.ForeignKeyField(
        "models.AuthSession", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    session_id: UUID
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    # Set when the token was exchanged for its successor; presenting it again is reuse.
    rotated_at = fields.DatetimeField(null=True)
    # For REFRESH_TOKEN_REUSE_GRACE_SECONDS after the exchange: the successor pair, sealed
    # under a key derived from this token (core/security/refresh_grace.py), so a retry of the
    # same exchange gets the same pair. Only whoever holds this token can open it; blanked
    # once the window has passed.
    successor_sealed = nullable_text_field()

    class Meta:
        table = "refresh_tokens"


class OneTimeToken(TimestampedModel):
    """Single-use, expiring tokens mailed to a person: email verification, password reset."""

    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="one_time_tokens", on_delete=fields.CASCADE
    )
    user_id: UUID
    purpose = fields.CharField(max_length=32)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "one_time_tokens"


class SignInAttempt(TimestampedModel):
    """A sign-in attempt, written before its password is checked.

    It counts against the limits (core/services/sign_in_throttle.py) while it is in flight and
    once it failed; a refused attempt's row is deleted, and a success deletes its own and its
    address's failed ones.
    """

    email = fields.CharField(max_length=320, db_index=True)
    client_address = fields.CharField(max_length=64, db_index=True)
    failed = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "sign_in_attempts"


class GoogleIdentity(TimestampedModel):
    """A Google account (OpenID Connect subject) a user signs in with."""

    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="google_identities", on_delete=fields.CASCADE
    )
    user_id: UUID
    # Google's `sub`: stable for the account, unlike its email.
    subject = fields.CharField(max_length=255, unique=True)
    # The email Google vouched for at the last sign-in (for display; never a key).
    email = fields.CharField(max_length=320)
    last_sign_in_at = fields.DatetimeField(null=True)

    class Meta:
        table = "google_identities"


class GoogleSignInState(TimestampedModel):
    """A started Google sign-in (or link): the single-use nonce inside the signed `state`."""

    nonce_hash = fields.CharField(max_length=64, unique=True)
    # PKCE verifier: useless without the authorization code Google sends only to our callback.
    code_verifier = fields.CharField(max_length=128)
    # The OpenID Connect `nonce` the ID token must carry.
    oidc_nonce = fields.CharField(max_length=64)
    # Digest of the cookie set on the browser that started the flow; the callback needs it.
    browser_binding_hash = fields.CharField(max_length=64)
    # Where the dashboard wants the browser back (one of the allowed redirect URLs).
    redirect_url = fields.CharField(max_length=2048)
    # Set when a signed-in user links Google to their account instead of signing in.
    link_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="google_link_states", null=True, on_delete=fields.CASCADE
    )
    link_user_id: UUID | None
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "google_sign_in_states"
