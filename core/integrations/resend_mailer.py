"""Resend adapter: the one place that talks to Resend, through its official SDK."""

from __future__ import annotations

import logging

import resend
from resend.exceptions import ResendError

from core.email.sender import MailDeliveryError, OutgoingMail

log = logging.getLogger(__name__)

# Resend answers these for mail that will never go through as written.
_PERMANENT_ERROR_CODES = {400, 401, 403, 422}


class ResendMailer:
    """Sends through Resend.

    The outbox row id is the idempotency key, so a retry never doubles a mail.
    """

    status_on_success = "sent"

    def __init__(self, *, api_key: str, api_url: str, sender: str) -> None:
        # The SDK keeps its configuration in module globals; one process has one account.
        resend.api_key = api_key
        resend.api_url = api_url.rstrip("/")
        self.sender = sender

    async def send(self, mail: OutgoingMail) -> str | None:
        params: resend.Emails.SendParams = {
            "from": self.sender,
            "to": [mail.to_address],
            "subject": mail.subject,
            "text": mail.text,
            "html": mail.html,
        }
        try:
            response = await resend.Emails.send_async(
                params, {"idempotency_key": f"outbox-{mail.id}"}
            )
        except ResendError as error:
            code = _status_code(error)
            raise MailDeliveryError(
                f"Resend refused the mail ({code or 'no status'}): {error.message}",
                permanent=code in _PERMANENT_ERROR_CODES,
            ) from error
        except Exception as error:  # the SDK wraps transport failures in plain exceptions
            raise MailDeliveryError(f"Resend unreachable: {type(error).__name__}") from error
        return str(response.get("id")) if response else None


def _status_code(error: ResendError) -> int | None:
    try:
        return int(error.code)
    except (TypeError, ValueError):
        return None
