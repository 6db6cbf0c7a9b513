"""Twilio and LiveKit at their HTTP boundary: signed webhooks, TwiML, and an API that talks
to the fake LiveKit.

`telephony_app` builds the API in-process with Twilio and LiveKit configured (the LiveKit
side being `tests.fakes.livekit`), on the session's database; the `telephony` fixture
(tests/support/fixtures.py) gives one per test.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from google.protobuf import json_format
from livekit import api
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from core.events import EventBus
from core.settings import Settings
from orm.models import Call, CallEvent
from tests.fakes.livekit import FakeLiveKit
from tests.support.factories import next_number
from tests.support.graphql import GraphQLClient
from tests.support.servers import asgi_client

PUBLIC_BASE_URL = "https://voice.example.test"
TWILIO_AUTH_TOKEN = "twilio-auth-token-0123456789abcdef"
LIVEKIT_API_KEY = "APIcallsWebhooks"
LIVEKIT_API_SECRET = "calls-webhooks-livekit-secret-0123456789abcdef"
SIP_HOST = "calls-test.sip.livekit.test"
SIP_USERNAME = "twilio-trunk"
SIP_PASSWORD = "sip-trunk-password"
OUTBOUND_TRUNK_ID = "ST_outboundTrunk123"
# The number LiveKit calls from when a dial-out names none (the outbound trunk's).
TRUNK_NUMBER = "+14155550111"
AGENT_NAME = "voiceagents-test"
CALLER = "+14155550100"

VOICE_PATH = "/webhooks/twilio/voice"
STATUS_PATH = "/webhooks/twilio/status"
LIVEKIT_PATH = "/webhooks/livekit"


def telephony_settings(base: Settings, livekit: FakeLiveKit, **overrides: Any) -> Settings:
    """The session's settings with Twilio and the fake LiveKit configured."""
    values: dict[str, Any] = {
        "public_base_url": PUBLIC_BASE_URL,
        "twilio_auth_token": SecretStr(TWILIO_AUTH_TOKEN),
        **livekit.settings_overrides(sip_host=SIP_HOST),
        "livekit_sip_username": SIP_USERNAME,
        "livekit_sip_password": SecretStr(SIP_PASSWORD),
        "livekit_sip_outbound_trunk_id": OUTBOUND_TRUNK_ID,
        "livekit_agent_name": AGENT_NAME,
    }
    values.update(overrides)
    return base.model_copy(update=values)


@dataclass
class Telephony:
    """The in-process API with telephony configured, and the fake LiveKit behind it."""

    settings: Settings
    http: httpx.AsyncClient
    gql: GraphQLClient
    livekit: FakeLiveKit

    async def twilio(
        self,
        path: str,
        params: dict[str, str],
        *,
        auth_token: str = TWILIO_AUTH_TOKEN,
        signed_url: str | None = None,
        signature: str | None = None,
        sign: bool = True,
        sent_params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a form to a Twilio webhook, signed like Twilio does (or not)."""
        headers = {}
        if sign:
            url = signed_url or PUBLIC_BASE_URL + path
            headers["X-Twilio-Signature"] = signature or RequestValidator(
                auth_token
            ).compute_signature(url, params)
        return await self.http.post(path, data=sent_params or params, headers=headers)

    async def voice(self, params: dict[str, str], **kw: Any) -> httpx.Response:
        return await self.twilio(VOICE_PATH, params, **kw)

    async def status(self, params: dict[str, str], **kw: Any) -> httpx.Response:
        return await self.twilio(STATUS_PATH, params, **kw)

    async def livekit_event(self, body: str, authorization: str | None) -> httpx.Response:
        headers = {"Content-Type": "application/webhook+json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        return await self.http.post(LIVEKIT_PATH, content=body.encode(), headers=headers)


# --- Twilio --------------------------------------------------------------------------------


def new_call_sid() -> str:
    return f"CA{next_number():032x}"


def voice_params(to: str, *, call_sid: str | None = None, from_: str = CALLER) -> dict[str, str]:
    """What Twilio posts when a call reaches one of our numbers."""
    return {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid or new_call_sid(),
        "CallStatus": "ringing",
        "Called": to,
        "Caller": from_,
        "Direction": "inbound",
        "From": from_,
        "To": to,
    }


def status_params(call_sid: str, call_status: str, **extra: str) -> dict[str, str]:
    return {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": call_status,
        **extra,
    }


@dataclass
class TwiML:
    root: ElementTree.Element

    @classmethod
    def parse(cls, response: httpx.Response) -> TwiML:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml"), response.headers
        root = ElementTree.fromstring(response.text)
        assert root.tag == "Response", response.text
        return cls(root)

    @property
    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    @property
    def said(self) -> str:
        return " ".join(say.text or "" for say in self.root.iter("Say"))


# --- LiveKit webhooks ----------------------------------------------------------------------


def livekit_event_body(
    event: str,
    *,
    room: str,
    call_id: uuid.UUID | None = None,
    participant_kind: int | None = None,
    identity: str = "sip-caller",
    attributes: dict[str, str] | None = None,
) -> str:
    """A webhook body as LiveKit sends it (protobuf JSON of a WebhookEvent); `attributes`
    are the participant's. A SIP participant's default to an answered call
    (`sip.callStatus` `active`); a test about one still dialing or ringing says so."""
    metadata = f'{{"call_id":"{call_id}"}}' if call_id else ""
    message = api.WebhookEvent(
        event=event,
        id=f"EV_{next_number():012x}",
        created_at=1_700_000_000,
        room=api.Room(sid="RM_fake", name=room, metadata=metadata),
    )
    if attributes is None and participant_kind == api.ParticipantInfo.Kind.SIP:
        attributes = {"sip.callStatus": "active"}
    if participant_kind is not None:
        message.participant.CopyFrom(
            api.ParticipantInfo(
                sid="PA_fake",
                identity=identity,
                kind=participant_kind,
                attributes=attributes or {},
            )
        )
    return json_format.MessageToJson(message)


def body_sha256(body: str) -> str:
    return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


def livekit_authorization(
    body: str,
    *,
    api_key: str = LIVEKIT_API_KEY,
    api_secret: str = LIVEKIT_API_SECRET,
    ttl: timedelta | None = None,
) -> str:
    """The JWT LiveKit puts in `Authorization` (no Bearer): signed, with the body's hash."""
    token = api.AccessToken(api_key, api_secret).with_sha256(body_sha256(body))
    if ttl is not None:
        token = token.with_ttl(ttl)
    return token.to_jwt()


SIP = api.ParticipantInfo.Kind.SIP
AGENT_KIND = api.ParticipantInfo.Kind.AGENT


@contextlib.asynccontextmanager
async def telephony_app(
    base: Settings, livekit: FakeLiveKit, *, bus: EventBus | None = None, **overrides: Any
) -> AsyncIterator[Telephony]:
    """The API in-process with Twilio and the fake LiveKit configured (same database); its
    webhooks publish on `bus` (a bus of its own when None)."""
    async with asgi_client(
        telephony_settings(base, livekit, **overrides), base_url=PUBLIC_BASE_URL, bus=bus
    ) as app:
        yield Telephony(app.settings, app.http, app.gql, livekit)


# --- reading the record --------------------------------------------------------------------


async def call_by_sid(call_sid: str) -> Call | None:
    return await Call.get_or_none(twilio_call_sid=call_sid)


async def event_types(call_id: uuid.UUID) -> list[str]:
    return list(
        await CallEvent.filter(call_id=call_id).order_by("seq").values_list("type", flat=True)
    )


async def start_call(telephony: Telephony, to: str, call_sid: str | None = None) -> Call:
    """A signed incoming call that must be bridged; returns the ringing call."""
    params = voice_params(to, call_sid=call_sid)
    response = await telephony.voice(params)
    twiml = TwiML.parse(response)
    assert twiml.verbs == ["Dial"], response.text
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    return call
