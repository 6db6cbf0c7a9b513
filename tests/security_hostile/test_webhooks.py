"""Every webhook against forged, stale, misdirected, replayed and malformed deliveries.

One table: Twilio voice, Twilio status, LiveKit, Stripe and the Google OAuth callback.
Every refused delivery gets a 4xx (never a 5xx) and changes nothing in the database; a
replayed genuine delivery is acknowledged the way its sender expects (Twilio and Stripe
retry on anything else) or refused (an OAuth state is single-use), and changes nothing.

Twilio signs no timestamp, so a Twilio delivery cannot be "stale": its replay protection
is the CallSid (the second delivery finds the call it already made), and its URL binding
(another host, path or scheme) is what the "signed for another URL" rows cover.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import jwt
import pytest
import pytest_asyncio
import stripe
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from core.security.oauth_flow import state_keys as _state_keys
from core.security.tokens import digest
from core.settings import Settings
from orm.models import (
    AgentTool,
    Call,
    CallEvent,
    CreditLedgerEntry,
    OAuthState,
    Organization,
    StripeEvent,
)
from tests.fakes.google import FakeGoogle
from tests.fakes.livekit import FakeLiveKit
from tests.fakes.stripe import credits_session
from tests.support.factories import Factories, Tenant, next_number
from tests.support.ids import global_id
from tests.support.operations import AGENT_TOOL_OAUTH_START
from tests.support.telephony import (
    PUBLIC_BASE_URL,
    SIP,
    STATUS_PATH,
    TWILIO_AUTH_TOKEN,
    VOICE_PATH,
    Telephony,
    TwiML,
    call_by_sid,
    livekit_authorization,
    livekit_event_body,
    new_call_sid,
    status_params,
    telephony_app,
    voice_params,
)

BASE = PUBLIC_BASE_URL  # what Twilio signs: the URL it called
STRIPE_SECRET = "whsec_" + "hostile0123456789abcdef"
VOICE, STATUS, STRIPE, OAUTH = VOICE_PATH, STATUS_PATH, "/webhooks/stripe", "/oauth/google/callback"
HUGE = 1_100_000  # bytes: over 1 MB
# A key the server never had, for signatures made by someone else.
OTHER_KEY = "someone-elses-signing-key-0123456789abcdef"


def _query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class Hooks:
    """The API in-process with every webhook configured, and an organization whose agent
    has a phone number."""

    telephony: Telephony
    google: FakeGoogle
    make: Factories
    tenant: Tenant
    phone_number: str

    @property
    def settings(self) -> Settings:
        return self.telephony.settings

    @property
    def http(self) -> httpx.AsyncClient:
        return self.telephony.http

    # --- senders, each signing exactly like the real sender ---------------------------

    async def twilio(
        self,
        path: str,
        body: bytes,
        *,
        signed_url: str | None = None,
        token: str = TWILIO_AUTH_TOKEN,
        sign: bool = True,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            # Twilio signs the URL it called plus the form fields (what the server parses).
            params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                signed_url or BASE + path, params
            )
        return await self.http.post(path, content=body, headers=headers)

    async def livekit(self, body: bytes, authorization: str | None) -> httpx.Response:
        return await self.telephony.livekit_event(body.decode(), authorization)

    async def stripe(
        self,
        body: bytes,
        *,
        secret: str | None = STRIPE_SECRET,
        timestamp: int | None = None,
        signed_body: bytes | None = None,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["Stripe-Signature"] = stripe.WebhookSignature.generate_signature_header(
                (signed_body or body).decode("utf-8", "replace"), secret, timestamp=timestamp
            )
        return await self.http.post(STRIPE, content=body, headers=headers)

    async def callback(self, **query: str) -> httpx.Response:
        return await self.http.get(f"{OAUTH}?{urlencode(query)}")

    # --- genuine deliveries, to replay --------------------------------------------------

    async def ringing_call(self) -> tuple[bytes, Call]:
        body = urlencode(voice_params(self.phone_number, call_sid=new_call_sid())).encode()
        response = await self.twilio(VOICE, body)
        assert TwiML.parse(response).verbs == ["Dial"], response.text
        params = dict(parse_qsl(body.decode()))
        call = await call_by_sid(params["CallSid"])
        assert call is not None and call.status == "ringing"
        return body, call

    async def consent(self) -> tuple[str, str, uuid.UUID]:
        """Another owner's Calendar tool, consented at Google: (code, state, agent tool)."""
        owner = await self.make.tenant("Dental practice")
        agent_tool = await self.make.agent_tool(await self.make.agent(owner))
        started = await self.telephony.gql.ok(
            AGENT_TOOL_OAUTH_START,
            {"input": {"agentToolId": global_id("AgentTool", agent_tool.id)}},
            token=owner.token,
        )
        redirect = _query_of(await self.google.consent(started["authorizationUrl"]))
        return redirect["code"], redirect["state"], agent_tool.id


@pytest_asyncio.fixture(scope="module")
async def hooks_google() -> AsyncIterator[FakeGoogle]:
    """A Google of this module's own: it must accept the webhooks' https callback URL."""
    async with FakeGoogle() as google:
        yield google


@pytest_asyncio.fixture
async def hooks(
    server, make, livekit: FakeLiveKit, hooks_google: FakeGoogle
) -> AsyncIterator[Hooks]:
    """The API in-process with Twilio, LiveKit (the fake), Stripe and Google configured."""
    async with telephony_app(
        server.settings,
        livekit,
        stripe_webhook_secret=SecretStr(STRIPE_SECRET),
        **hooks_google.settings_overrides(),
    ) as telephony:
        tenant = await make.tenant("Hostile Hooks")
        agent = await make.agent(tenant, phone_number=True)
        yield Hooks(telephony, hooks_google, make, tenant, agent.phone_number.e164)


async def _state() -> dict[str, Any]:
    """What any delivery could change: calls, their events, Stripe, credits, tool secrets."""
    calls = await Call.all().values_list(
        "id", "status", "ended_reason", "duration_seconds", "answered_at", "ended_at"
    )
    secrets_ = await AgentTool.exclude(sensitive_config=None).values_list("id", "sensitive_config")
    return {
        "calls": sorted(map(str, calls)),
        "call_events": await CallEvent.all().count(),
        "stripe_events": await StripeEvent.all().count(),
        "credit_ledger": await CreditLedgerEntry.all().count(),
        "balances": sorted(await Organization.all().values_list("id", "credit_balance")),
        "agent_tool_secrets": sorted(map(str, secrets_)),
        "oauth_states_used": await OAuthState.exclude(used_at=None).count(),
    }


# --- the attacks: prepare (may change the database) then send (must not) --------------------

Prepare = Callable[[Hooks], Awaitable[Any]]
Send = Callable[[Hooks, Any], Awaitable[httpx.Response]]


async def _nothing(hooks: Hooks) -> None:
    return None


def _voice_body(hooks: Hooks) -> bytes:
    return urlencode(voice_params(hooks.phone_number, call_sid=new_call_sid())).encode()


async def _voice(hooks: Hooks, _: Any = None, **kw: Any) -> httpx.Response:
    return await hooks.twilio(VOICE, _voice_body(hooks), **kw)


async def _in_progress_status(hooks: Hooks) -> bytes:
    _, call = await hooks.ringing_call()
    body = urlencode(status_params(call.twilio_call_sid, "in-progress")).encode()
    assert (await hooks.twilio(STATUS, body)).status_code == 204
    assert (await Call.get(id=call.id)).status == "in_progress"
    return body


async def _ringing_status(hooks: Hooks) -> bytes:
    _, call = await hooks.ringing_call()
    return urlencode(status_params(call.twilio_call_sid, "completed", CallDuration="42")).encode()


async def _livekit_join(hooks: Hooks) -> str:
    _, call = await hooks.ringing_call()
    return livekit_event_body(
        "participant_joined",
        room=call.livekit_room or f"call-{call.id.hex}",
        call_id=call.id,
        participant_kind=SIP,
    )


async def _livekit_join_delivered(hooks: Hooks) -> str:
    body = await _livekit_join(hooks)
    response = await hooks.livekit(body.encode(), _lk(body))
    assert response.status_code == 204
    return body


def _lk(body: str, **kw: Any) -> str:
    return livekit_authorization(body, **kw)


async def _credits_event(hooks: Hooks) -> bytes:
    session = credits_session(hooks.tenant.organization_uuid, 5000)
    event = {
        "id": f"evt_{next_number():024x}",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {"object": session},
    }
    return json.dumps(event).encode()


async def _credits_delivered(hooks: Hooks) -> bytes:
    body = await _credits_event(hooks)
    before = await CreditLedgerEntry.all().count()
    response = await hooks.stripe(body)
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "outcome": "credits_purchased"}
    assert await CreditLedgerEntry.all().count() == before + 1
    return body


async def _connected(hooks: Hooks) -> tuple[str, str]:
    code, state, agent_tool = await hooks.consent()
    response = await hooks.callback(code=code, state=state)
    assert response.status_code == 303 and "status=connected" in response.headers["location"]
    assert (await AgentTool.get(id=agent_tool)).sensitive_config
    return code, state


def _resigned_state(hooks: Hooks, state: str, **changes: Any) -> str:
    """The state's claims, changed, and signed with the real state key."""
    claims = {**jwt.decode(state, options={"verify_signature": False}), **changes}
    return jwt.encode(claims, _state_keys(hooks.settings)[0], algorithm="HS256")


async def _expired_state(hooks: Hooks) -> tuple[str, str]:
    code, state, _ = await hooks.consent()
    nonce = jwt.decode(state, options={"verify_signature": False})["nonce"]
    await OAuthState.filter(nonce_hash=digest(nonce)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    return code, state


@dataclass(frozen=True)
class Attack:
    prepare: Prepare
    send: Send
    status: int


def attack(endpoint: str, what: str, prepare: Prepare, send: Send, status: int) -> Any:
    return pytest.param(Attack(prepare, send, status), id=f"{endpoint}: {what}")


ATTACKS = [
    # Twilio voice ----------------------------------------------------------------------
    attack("twilio voice", "unsigned", _nothing, lambda h, _: _voice(h, sign=False), 403),
    attack(
        "twilio voice",
        "wrongly signed",
        _nothing,
        lambda h, _: _voice(h, token="another-account-auth-token-000"),
        403,
    ),
    attack(
        "twilio voice",
        "signed for another host",
        _nothing,
        lambda h, _: _voice(h, signed_url="https://evil.example.test" + VOICE),
        403,
    ),
    attack(
        "twilio voice",
        "signed for another path",
        _nothing,
        lambda h, _: _voice(h, signed_url=BASE + STATUS),
        403,
    ),
    attack(
        "twilio voice",
        "signed for another scheme",
        _nothing,
        lambda h, _: _voice(h, signed_url=BASE.replace("https://", "http://") + VOICE),
        403,
    ),
    attack(
        "twilio voice",
        "replayed (same CallSid)",
        lambda h: h.ringing_call(),
        lambda h, prepared: h.twilio(VOICE, prepared[0]),
        200,
    ),
    attack(
        "twilio voice",
        "not form-encoded (JSON), signed",
        _nothing,
        lambda h, _: h.twilio(VOICE, json.dumps(voice_params(h.phone_number)).encode()),
        400,
    ),
    attack("twilio voice", "empty, signed", _nothing, lambda h, _: h.twilio(VOICE, b""), 400),
    attack(
        "twilio voice",
        "not UTF-8",
        _nothing,
        lambda h, _: h.twilio(VOICE, b"CallSid=\xff\xfe&To=\xc3", sign=False),
        403,
    ),
    attack(
        "twilio voice",
        "over 1 MB, signed",
        _nothing,
        lambda h, _: h.twilio(VOICE, _voice_body(h) + b"&Pad=" + b"x" * HUGE),
        413,  # refused while it streams in, before the signature is checked
    ),
    # Twilio status ---------------------------------------------------------------------
    attack(
        "twilio status",
        "unsigned",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, body, sign=False),
        403,
    ),
    attack(
        "twilio status",
        "wrongly signed",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, body, token="another-account-auth-token-000"),
        403,
    ),
    attack(
        "twilio status",
        "signed for another path",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, body, signed_url=BASE + VOICE),
        403,
    ),
    attack(
        "twilio status",
        "signed for another host",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, body, signed_url="https://evil.example.test" + STATUS),
        403,
    ),
    attack(
        "twilio status",
        "replayed",
        _in_progress_status,
        lambda h, body: h.twilio(STATUS, body),
        204,
    ),
    attack(
        "twilio status",
        "not form-encoded (JSON), signed",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, json.dumps(dict(parse_qsl(body.decode()))).encode()),
        400,
    ),
    attack("twilio status", "empty, signed", _nothing, lambda h, _: h.twilio(STATUS, b""), 400),
    attack(
        "twilio status",
        "over 1 MB, signed",
        _ringing_status,
        lambda h, body: h.twilio(STATUS, body + b"&Pad=" + b"x" * HUGE),
        413,  # refused while it streams in, before the signature is checked
    ),
    # LiveKit ---------------------------------------------------------------------------
    attack(
        "livekit", "unsigned", _livekit_join, lambda h, body: h.livekit(body.encode(), None), 401
    ),
    attack(
        "livekit",
        "wrongly signed",
        _livekit_join,
        lambda h, body: h.livekit(
            body.encode(),
            livekit_authorization(body, api_secret=OTHER_KEY),
        ),
        401,
    ),
    attack(
        "livekit",
        "another API key",
        _livekit_join,
        lambda h, body: h.livekit(
            body.encode(),
            livekit_authorization(body, api_key="APIsomeoneElse"),
        ),
        401,
    ),
    attack(
        "livekit",
        "stale (token expired)",
        _livekit_join,
        lambda h, body: h.livekit(body.encode(), _lk(body, ttl=timedelta(seconds=-120))),
        401,
    ),
    attack(
        "livekit",
        "signed for another body",
        _livekit_join,
        lambda h, body: h.livekit(body.encode(), _lk(body.replace("participant_joined", "x"))),
        401,
    ),
    attack(
        "livekit",
        "replayed",
        _livekit_join_delivered,
        lambda h, body: h.livekit(body.encode(), _lk(body)),
        204,
    ),
    attack(
        "livekit",
        "not JSON, signed",
        _nothing,
        lambda h, _: h.livekit(b"event=room_finished", _lk("event=room_finished")),
        401,
    ),
    attack("livekit", "empty, signed", _nothing, lambda h, _: h.livekit(b"", _lk("")), 401),
    attack(
        "livekit",
        "over 1 MB, signed",
        _livekit_join,
        lambda h, body: h.livekit(
            (body[:-1] + ', "pad": "' + "x" * HUGE + '"}').encode(),
            _lk(body[:-1] + ', "pad": "' + "x" * HUGE + '"}'),
        ),
        413,
    ),
    # Stripe ----------------------------------------------------------------------------
    attack("stripe", "unsigned", _credits_event, lambda h, body: h.stripe(body, secret=None), 400),
    attack(
        "stripe",
        "wrongly signed",
        _credits_event,
        lambda h, body: h.stripe(body, secret="whsec_not-the-endpoint-secret"),
        400,
    ),
    attack(
        "stripe",
        "stale (301 s old)",
        _credits_event,
        lambda h, body: h.stripe(body, timestamp=int(time.time()) - 301),
        400,
    ),
    attack(
        "stripe",
        "signed for another body",
        _credits_event,
        lambda h, body: h.stripe(
            body.replace(b'"credits": "5000"', b'"credits": "900000"'), signed_body=body
        ),
        400,
    ),
    attack(
        "stripe",
        "replayed (same event id)",
        _credits_delivered,
        lambda h, body: h.stripe(body),
        200,
    ),
    attack("stripe", "not JSON, signed", _nothing, lambda h, _: h.stripe(b"type=charge"), 400),
    attack("stripe", "empty, signed", _nothing, lambda h, _: h.stripe(b""), 400),
    attack(
        "stripe",
        "a JSON array, signed",
        _credits_event,
        lambda h, body: h.stripe(b"[" + body + b"]"),
        400,
    ),
    attack(
        "stripe",
        "over 1 MB, signed",
        _credits_event,
        lambda h, body: h.stripe(body[:-1] + b', "pad": "' + b"x" * HUGE + b'"}'),
        413,
    ),
    # Google OAuth callback -------------------------------------------------------------
    attack(
        "oauth callback",
        "no state (unsigned)",
        lambda h: h.consent(),
        lambda h, p: h.callback(code=p[0]),
        400,
    ),
    attack(
        "oauth callback",
        "state signed with another key",
        lambda h: h.consent(),
        lambda h, p: h.callback(
            code=p[0],
            state=jwt.encode(
                jwt.decode(p[1], options={"verify_signature": False}), OTHER_KEY, "HS256"
            ),
        ),
        400,
    ),
    attack(
        "oauth callback",
        "state signed for another audience",
        lambda h: h.consent(),
        lambda h, p: h.callback(code=p[0], state=_resigned_state(h, p[1], aud="voiceagents-api")),
        400,
    ),
    attack(
        "oauth callback",
        "stale (state expired)",
        _expired_state,
        lambda h, p: h.callback(code=p[0], state=p[1]),
        400,
    ),
    attack(
        "oauth callback",
        "replayed (same state)",
        _connected,
        lambda h, p: h.callback(code=p[0], state=p[1]),
        400,
    ),
    attack(
        "oauth callback",
        "state not a JWT",
        lambda h: h.consent(),
        lambda h, p: h.callback(code=p[0], state="not.a.jwt"),
        400,
    ),
    attack(
        "oauth callback",
        "state of 8 KB (the bound is 4 KB)",
        lambda h: h.consent(),
        lambda h, p: h.callback(code=p[0], state="x" * 8192),
        400,
    ),
    # A GET has no body; a client cannot even send a 1 MB URL. A 1 MB POST is refused.
    attack(
        "oauth callback",
        "POST of over 1 MB",
        lambda h: h.consent(),
        lambda h, p: h.http.post(
            f"{OAUTH}?{urlencode({'code': p[0], 'state': p[1]})}", content=b"x" * HUGE
        ),
        405,
    ),
]


@pytest.mark.parametrize("hostile", ATTACKS)
async def test_a_hostile_delivery_gets_its_4xx_and_changes_nothing(hooks: Hooks, hostile):
    # given: whatever genuine traffic the attack needs, already delivered
    prepared = await hostile.prepare(hooks)
    before = await _state()
    google_token_requests = len(hooks.google.token_requests())

    # when
    response = await hostile.send(hooks, prepared)

    # then
    assert response.status_code == hostile.status, response.text[:300]
    assert "location" not in response.headers
    assert await _state() == before
    assert len(hooks.google.token_requests()) == google_token_requests
