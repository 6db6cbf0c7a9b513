"""Chooses the mailer: Resend when a key is configured, the logging mailer otherwise."""

from __future__ import annotations

from core.email.sender import LoggingMailer, Mailer
from core.settings import Settings


def build_mailer(settings: Settings) -> Mailer:
    if settings.resend_api_key is None or not settings.resend_api_key.get_secret_value():
        return LoggingMailer()
    from core.integrations.resend_mailer import ResendMailer

    return ResendMailer(
        api_key=settings.resend_api_key.get_secret_value(),
        api_url=settings.resend_api_url,
        sender=settings.email_from,
    )
