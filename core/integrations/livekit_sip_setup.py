"""`voiceagents livekit setup`: the LiveKit SIP objects the call path needs, created or
brought up to date, idempotently.

- The inbound trunk (https://docs.livekit.io/sip/trunk-inbound/) has no `numbers`: Twilio's
  INVITE carries the call's room name (`call-<id>`) as the SIP user part, and a trunk with
  numbers accepts only calls to those numbers. LiveKit then wants credentials (Twilio sends
  them from the TwiML `<Sip username password>`) or allowed addresses.
- The dispatch rule (https://docs.livekit.io/sip/dispatch-rule/) is a callee rule with an
  empty room prefix, no randomization, no numbers filter and no room agents, bound to that
  trunk: the caller lands in the room the platform already created and dispatched the worker
  to, with the call's metadata. Agents in the rule would dispatch a second worker without it.
- The outbound trunk (https://docs.livekit.io/sip/trunk-outbound/) points at Twilio Elastic
  SIP Trunking; calls always present the agent's own number (`sip_number`), the trunk's
  numbers are only LiveKit's fallback.

Each object is found by its name (the outbound trunk first by LIVEKIT_SIP_OUTBOUND_TRUNK_ID)
and replaced only when it differs from what the settings describe. Its `metadata` carries a
keyed fingerprint of that description, credentials included, so a changed password is seen
even where LiveKit does not return passwords, and the password itself is never compared or
printed.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from livekit import api

INBOUND_TRUNK_NAME = "voiceagents inbound"
DISPATCH_RULE_NAME = "voiceagents callee rule"
OUTBOUND_TRUNK_NAME = "voiceagents outbound"
_MANAGED_BY = "voiceagents livekit setup"


class SetupError(Exception):
    """The settings are incomplete, or LiveKit refused; the message says which."""


class Change(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Step:
    what: str
    change: Change
    object_id: str | None = None
    note: str = ""

    def line(self) -> str:
        named = f"{self.what} {self.object_id}" if self.object_id else self.what
        return f"{named}: {self.change.value}" + (f" ({self.note})" if self.note else "")


async def apply(settings: Settings) -> list[Step]:
    """Create or update the inbound trunk, the callee dispatch rule and the outbound trunk."""
    from livekit import api

    _check(settings)
    assert settings.livekit_api_secret is not None  # _check
    client = api.LiveKitAPI(
        url=settings.livekit_url,
        api_key=settings.livekit_api_key,
        api_secret=settings.livekit_api_secret.get_secret_value(),
    )
    try:
        inbound = await _inbound_trunk(client, settings)
        rule = await _dispatch_rule(client, settings, inbound.object_id or "")
        outbound = await _outbound_trunk(client, settings)
    except SetupError:
        raise
    except Exception as error:  # Twirp refusals (a conflicting trunk), unreachable server
        raise SetupError(f"LiveKit refused or could not be reached: {str(error)[:300]}") from None
    finally:
        await client.aclose()
    return [inbound, rule, outbound]


def _check(settings: Settings) -> None:
    missing = [
        name
        for name, value in (
            ("LIVEKIT_URL", settings.livekit_url),
            ("LIVEKIT_API_KEY", settings.livekit_api_key),
            ("LIVEKIT_API_SECRET", settings.livekit_api_secret),
        )
        if not value
    ]
    if missing:
        raise SetupError(f"set {', '.join(missing)}")
    credentials = bool(settings.livekit_sip_username and settings.livekit_sip_password)
    if bool(settings.livekit_sip_username) != bool(settings.livekit_sip_password):
        raise SetupError("set both LIVEKIT_SIP_USERNAME and LIVEKIT_SIP_PASSWORD, or neither")
    if not credentials and not settings.livekit_sip_allowed_addresses:
        # A trunk without numbers takes a call only from a caller it can authenticate.
        raise SetupError(
            "set LIVEKIT_SIP_USERNAME and LIVEKIT_SIP_PASSWORD (Twilio sends them with each "
            "call) or LIVEKIT_SIP_ALLOWED_ADDRESSES: the inbound trunk has no numbers"
        )
    if settings.livekit_sip_outbound_address and not settings.livekit_sip_outbound_numbers:
        raise SetupError(
            "set LIVEKIT_SIP_OUTBOUND_NUMBERS: LiveKit wants at least one number on the "
            "outbound trunk"
        )


# --- the three objects ----------------------------------------------------------------------


async def _inbound_trunk(client: api.LiveKitAPI, settings: Settings) -> Step:
    from livekit import api

    desired = api.SIPInboundTrunkInfo(
        name=INBOUND_TRUNK_NAME,
        allowed_addresses=settings.livekit_sip_allowed_addresses,
        auth_username=settings.livekit_sip_username or "",
        auth_password=(
            settings.livekit_sip_password.get_secret_value()
            if settings.livekit_sip_password
            else ""
        ),
    )
    desired.max_call_duration.FromTimedelta(
        timedelta(seconds=settings.livekit_sip_max_call_duration_seconds)
    )
    _fingerprint(desired, settings)
    listed = await client.sip.list_inbound_trunk(api.ListSIPInboundTrunkRequest())
    existing = next((t for t in listed.items if t.name == INBOUND_TRUNK_NAME), None)
    return await _converge(
        "inbound trunk",
        desired,
        existing,
        id_of=lambda trunk: trunk.sip_trunk_id,
        create=lambda: client.sip.create_inbound_trunk(
            api.CreateSIPInboundTrunkRequest(trunk=desired)
        ),
        update=lambda trunk_id: client.sip.update_inbound_trunk(trunk_id, desired),
    )


async def _dispatch_rule(client: api.LiveKitAPI, settings: Settings, trunk_id: str) -> Step:
    from livekit import api

    desired = api.SIPDispatchRuleInfo(
        name=DISPATCH_RULE_NAME,
        rule=api.SIPDispatchRule(
            dispatch_rule_callee=api.SIPDispatchRuleCallee(room_prefix="", randomize=False)
        ),
        trunk_ids=[trunk_id],
    )
    _fingerprint(desired, settings)
    listed = await client.sip.list_dispatch_rule(api.ListSIPDispatchRuleRequest())
    existing = next((r for r in listed.items if r.name == DISPATCH_RULE_NAME), None)
    return await _converge(
        "dispatch rule",
        desired,
        existing,
        id_of=lambda rule: rule.sip_dispatch_rule_id,
        create=lambda: client.sip.create_dispatch_rule(
            api.CreateSIPDispatchRuleRequest(dispatch_rule=desired)
        ),
        update=lambda rule_id: client.sip.update_dispatch_rule(rule_id, desired),
    )


async def _outbound_trunk(client: api.LiveKitAPI, settings: Settings) -> Step:
    from livekit import api

    if not settings.livekit_sip_outbound_address:
        return Step(
            "outbound trunk",
            Change.SKIPPED,
            settings.livekit_sip_outbound_trunk_id,
            "set LIVEKIT_SIP_OUTBOUND_ADDRESS and LIVEKIT_SIP_OUTBOUND_NUMBERS to manage it",
        )
    desired = api.SIPOutboundTrunkInfo(
        name=OUTBOUND_TRUNK_NAME,
        address=settings.livekit_sip_outbound_address,
        numbers=settings.livekit_sip_outbound_numbers,
        auth_username=settings.livekit_sip_outbound_username or "",
        auth_password=(
            settings.livekit_sip_outbound_password.get_secret_value()
            if settings.livekit_sip_outbound_password
            else ""
        ),
    )
    _fingerprint(desired, settings)
    listed = await client.sip.list_outbound_trunk(api.ListSIPOutboundTrunkRequest())
    configured = settings.livekit_sip_outbound_trunk_id
    existing = next((t for t in listed.items if t.sip_trunk_id == configured), None) or next(
        (t for t in listed.items if t.name == OUTBOUND_TRUNK_NAME), None
    )
    step = await _converge(
        "outbound trunk",
        desired,
        existing,
        id_of=lambda trunk: trunk.sip_trunk_id,
        create=lambda: client.sip.create_outbound_trunk(
            api.CreateSIPOutboundTrunkRequest(trunk=desired)
        ),
        update=lambda trunk_id: client.sip.update_outbound_trunk(trunk_id, desired),
    )
    if step.object_id != configured:  # calls dial through the trunk this setting names
        note = f"set LIVEKIT_SIP_OUTBOUND_TRUNK_ID={step.object_id}"
        return Step(step.what, step.change, step.object_id, note)
    return step


# --- comparing and writing ------------------------------------------------------------------


async def _converge(
    what: str,
    desired: Any,
    existing: Any | None,
    *,
    id_of: Callable[[Any], str],
    create: Callable[[], Awaitable[Any]],
    update: Callable[[str], Awaitable[Any]],
) -> Step:
    if existing is None:
        return Step(what, Change.CREATED, id_of(await create()))
    object_id = id_of(existing)
    if _comparable(existing) == _comparable(desired):
        return Step(what, Change.UNCHANGED, object_id)
    await update(object_id)
    return Step(what, Change.UPDATED, object_id)


def _comparable(info: Any) -> bytes:
    """The object as the settings describe it: without what LiveKit adds (ids, times) and
    without the password (the fingerprint in `metadata` stands for it)."""
    copy = type(info)()
    copy.CopyFrom(info)
    for name in ("sip_trunk_id", "sip_dispatch_rule_id", "created_at", "updated_at"):
        if name in copy.DESCRIPTOR.fields_by_name:
            copy.ClearField(name)
    if "auth_password" in copy.DESCRIPTOR.fields_by_name:
        copy.ClearField("auth_password")
    return bytes(copy.SerializeToString(deterministic=True))


def _fingerprint(info: Any, settings: Settings) -> None:
    """Put a fingerprint of the whole description (credentials too) into `metadata`, keyed
    with the API secret so that nobody without it can test a guessed password against it."""
    assert settings.livekit_api_secret is not None
    digest = hmac.new(
        settings.livekit_api_secret.get_secret_value().encode(),
        bytes(info.SerializeToString(deterministic=True)),
        hashlib.sha256,
    ).hexdigest()[:32]
    info.metadata = json.dumps({"managed_by": _MANAGED_BY, "fingerprint": digest})
