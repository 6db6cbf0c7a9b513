"""Transfers to a person: which REFER a call may follow.

When the agent cold-transfers a caller whose call Twilio bridged with `<Dial><Sip>`, LiveKit
sends Twilio a SIP REFER and Twilio asks our referUrl what to do with it
(https://www.twilio.com/docs/voice/api/refer-to-twilio). The REFER's target is only ever
checked, never dialled as it comes: the call must be in progress, its agent must have just
begun a cold transfer (its last transfer event is that `TransferStarted`), and the target
must be the agent's own transfer target from the call's snapshot. Anything else could send
a caller, at our expense, wherever a forged or confused REFER says.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from core.call_events import (
    CallEventType,
    CallStatus,
    TransferMode,
    TransferStarted,
    decode,
)
from core.call_snapshot import CallSnapshot
from core.phone_numbers import to_e164
from orm.models import Call, CallEvent

_TRANSFER_EVENTS = (CallEventType.TRANSFER_STARTED.value, CallEventType.TRANSFER.value)


class ReferRefusal(enum.Enum):
    UNKNOWN_CALL = "unknown_call"  # no call of ours
    NOT_TRANSFERRING = "not_transferring"  # over, or its agent started no transfer now
    TARGET_NOT_ALLOWED = "target_not_allowed"  # not the agent's transfer target


@dataclass(frozen=True)
class ReferDecision:
    """Dial `transfer_to`, showing `caller_id`; or refuse."""

    transfer_to: str | None = None
    caller_id: str | None = None
    refusal: ReferRefusal | None = None


async def decide_refer(*, call_id: uuid.UUID, refer_to: str, region: str) -> ReferDecision:
    """Where a REFER on the call's SIP leg may send the caller."""
    call = await Call.get_or_none(id=call_id)
    if call is None or call.organization_id is None:
        return ReferDecision(refusal=ReferRefusal.UNKNOWN_CALL)
    allowed = CallSnapshot.from_stored(call.snapshot).transfer_to
    if call.status != CallStatus.IN_PROGRESS.value or allowed is None:
        return ReferDecision(refusal=ReferRefusal.NOT_TRANSFERRING)
    last = await _last_transfer_event(call.id)
    started = decode(last.type, last.data) if last is not None else None
    if not (
        isinstance(started, TransferStarted)
        and started.mode is TransferMode.COLD
        and started.transfer_to == allowed
    ):
        return ReferDecision(refusal=ReferRefusal.NOT_TRANSFERRING)
    if not same_target(refer_to, allowed, region=region):
        return ReferDecision(refusal=ReferRefusal.TARGET_NOT_ALLOWED)
    return ReferDecision(transfer_to=allowed, caller_id=call.from_number)


async def _last_transfer_event(call_id: uuid.UUID) -> CallEvent | None:
    return (
        await CallEvent.filter(call_id=call_id, type__in=_TRANSFER_EVENTS).order_by("-seq").first()
    )


def same_target(refer_to: str, allowed: str, *, region: str) -> bool:
    """Whether a Refer-To (`<tel:+1…>`, `tel:+1…;params`, `<sip:+1…@host;transport=tcp>`)
    names `allowed` (an E.164 number, or a `sip:` URI compared without its parameters)."""
    uri = refer_to.strip().removeprefix("<").removesuffix(">").strip()
    if allowed.startswith("sip:"):
        return _sip_address(uri) == _sip_address(allowed)
    if uri.startswith("tel:"):
        user = uri[len("tel:") :].split(";")[0]
    elif uri.startswith(("sip:", "sips:")):
        user = uri.split(":", 1)[1].split("@")[0].split(";")[0]
    else:
        return False
    return to_e164(user, default_region=region) == allowed


def _sip_address(uri: str) -> tuple[str, str] | None:
    """(user, host) of a SIP URI, the host in lower case; None when it is none."""
    if not uri.startswith("sip:"):
        return None
    address = uri[len("sip:") :].split("?")[0].split(";")[0]
    user, at, host = address.rpartition("@")
    return (user, host.lower()) if at else None
