"""Access tokens (JWT) and opaque secrets (refresh tokens, API keys, mailed tokens).

Opaque secrets are random, shown once, and stored only as a SHA-256 digest:
they carry 256 bits of entropy, so a fast hash is enough (unlike passwords).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core.settings import Settings

ACCESS_TOKEN_TYPE = "access"
_REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "sid", "typ"]


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


class InvalidToken(Exception):
    pass


class AccessTokenCodec:
    """Issues and verifies access tokens with one pinned algorithm."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.ttl = timedelta(seconds=settings.access_token_ttl_seconds)
        if settings.jwt_private_key is not None:
            private = serialization.load_pem_private_key(
                settings.jwt_private_key.get_secret_value().encode(), password=None
            )
            if not isinstance(private, ec.EllipticCurvePrivateKey):
                raise ValueError("JWT_PRIVATE_KEY must be an EC P-256 private key (ES256)")
            self.algorithm = "ES256"
            self._signing_key: ec.EllipticCurvePrivateKey | str = private
            self._verifying_key: ec.EllipticCurvePublicKey | str = private.public_key()
        else:
            self.algorithm = "HS256"
            self._signing_key = self._verifying_key = settings.jwt_secret.get_secret_value()

    def issue(self, *, user_id: uuid.UUID, session_id: uuid.UUID) -> tuple[str, datetime]:
        now = datetime.now(UTC)
        expires_at = now + self.ttl
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "typ": ACCESS_TOKEN_TYPE,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": secrets.token_urlsafe(12),
        }
        token = jwt.encode(claims, self._signing_key, algorithm=self.algorithm)
        return token, expires_at

    def verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": _REQUIRED_CLAIMS},
                leeway=5,
            )
            if claims["typ"] != ACCESS_TOKEN_TYPE:
                raise InvalidToken("wrong token type")
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
            raise InvalidToken(str(error)) from error


def new_secret(prefix: str, nbytes: int = 32) -> str:
    """A fresh random secret such as `vart_...`; the prefix says what it is when it leaks."""
    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def digests_match(secret: str, expected_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), expected_digest)
