"""The fake Twilio answers the official SDK the way Twilio's documentation says.

Each test drives the fake through `twilio.rest.Client` (async), as the product does, and
checks a documented behaviour: the page is named in tests/fakes/twilio.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes.twilio import FakeTwilio


def _client(fake: FakeTwilio, *, token: str | None = None) -> Client:
    client = Client(
        fake.account_sid,
        token or fake.auth_token,
        http_client=AsyncTwilioHttpClient(pool_connections=False),
    )
    client.api.base_url = fake.base_url
    return client


def _account(fake: FakeTwilio, **kw):
    return _client(fake, **kw).api.v2010.accounts(fake.account_sid)


@dataclass(frozen=True)
class Refusal:
    status: int
    code: int


async def _refused(awaitable) -> Refusal:
    """Twilio's refusal as the SDK raises it: TwilioRestException for one resource, and
    TwilioException("Unable to fetch page", response) for a list's page."""
    with pytest.raises(TwilioException) as raised:
        await awaitable
    error = raised.value
    if isinstance(error, TwilioRestException):
        return Refusal(error.status, error.code)
    response = error.args[1]
    return Refusal(response.status_code, json.loads(response.text)["code"])


async def test_a_wrong_auth_token_is_refused_with_20003(twilio_fake):
    # when
    error = await _refused(
        _account(twilio_fake, token="wrong-token").incoming_phone_numbers.list_async()
    )

    # then
    assert (error.status, error.code) == (401, 20003)


async def test_search_filters_numbers_for_sale_by_area_code_pattern_and_kind(twilio_fake):
    # given
    twilio_fake.stock("+14155550123")
    twilio_fake.stock("+14155550177")
    twilio_fake.stock("+15105550123")
    twilio_fake.stock("+18005550123", toll_free=True)
    us = _account(twilio_fake).available_phone_numbers("US")

    # when
    in_415 = await us.local.list_async(area_code=415)
    with_0123 = await us.local.list_async(contains="555*123")
    toll_free = await us.toll_free.list_async()
    nothing = await us.local.list_async(area_code=212)

    # then
    assert [n.phone_number for n in in_415] == ["+14155550123", "+14155550177"]
    assert [n.phone_number for n in with_0123] == ["+14155550123", "+15105550123"]
    assert [n.phone_number for n in toll_free] == ["+18005550123"]
    assert nothing == []
    assert in_415[0].friendly_name == "(415) 555-0123"
    assert in_415[0].capabilities["voice"] is True


async def test_search_refuses_a_malformed_area_code_with_21451(twilio_fake):
    # when
    error = await _refused(
        _account(twilio_fake).available_phone_numbers("US").local.list_async(area_code=41)
    )

    # then
    assert (error.status, error.code) == (400, 21451)


async def test_buying_takes_the_number_off_sale_with_its_webhooks(twilio_fake):
    # given
    twilio_fake.stock("+14155550123")
    numbers = _account(twilio_fake).incoming_phone_numbers

    # when
    bought = await numbers.create_async(
        phone_number="+14155550123",
        voice_url="https://voice.example.test/webhooks/twilio/voice",
        status_callback="https://voice.example.test/webhooks/twilio/status",
    )
    again = await _refused(numbers.create_async(phone_number="+14155550123"))

    # then
    assert bought.sid.startswith("PN") and len(bought.sid) == 34
    assert bought.phone_number == "+14155550123"
    assert bought.voice_url == "https://voice.example.test/webhooks/twilio/voice"
    assert bought.status_callback == "https://voice.example.test/webhooks/twilio/status"
    assert twilio_fake.numbers[bought.sid]["phone_number"] == "+14155550123"
    assert (again.status, again.code) == (400, 21422)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"phone_number": "+14155550999"}, 21422),  # not for sale
        ({"phone_number": "12"}, 21421),  # not a number
        ({"area_code": "212"}, 21452),  # no stock in the area
        ({"area_code": "02"}, 21451),  # not an area code
    ],
)
async def test_buying_what_is_not_for_sale_is_refused(twilio_fake, params, code):
    # when
    error = await _refused(_account(twilio_fake).incoming_phone_numbers.create_async(**params))

    # then
    assert (error.status, error.code) == (400, code)
    assert twilio_fake.numbers == {}


async def test_listing_filters_by_number_and_pages(twilio_fake):
    # given
    for last in range(5):
        twilio_fake.hold(f"+1415555012{last}")
    numbers = _account(twilio_fake).incoming_phone_numbers

    # when
    one = await numbers.list_async(phone_number="+14155550123")
    every = await numbers.list_async(page_size=2)

    # then
    assert [n.phone_number for n in one] == ["+14155550123"]
    assert len(every) == 5  # three pages, followed through next_page_uri


async def test_update_and_release_of_an_account_number(twilio_fake):
    # given
    sid = twilio_fake.hold("+14155550123")["sid"]
    numbers = _account(twilio_fake).incoming_phone_numbers

    # when
    updated = await numbers(sid).update_async(voice_url="https://example.test/voice")
    deleted = await numbers(sid).delete_async()
    gone = await _refused(numbers(sid).fetch_async())

    # then
    assert updated.voice_url == "https://example.test/voice"
    assert deleted is True
    assert (gone.status, gone.code) == (404, 20404)
    assert twilio_fake.released[0]["sid"] == sid


async def test_calls_follow_the_call_resource_rules(twilio_fake):
    # given
    twilio_fake.hold("+14155550123")
    calls = _account(twilio_fake).calls

    # when
    call = await calls.create_async(
        to="+14155550188", from_="+14155550123", twiml="<Response><Say>Hi</Say></Response>"
    )
    unverified = await _refused(
        calls.create_async(to="+14155550188", from_="+14155550999", url="https://x.test/")
    )
    no_instructions = await _refused(calls.create_async(to="+14155550188", from_="+14155550123"))
    twilio_fake.set_call_status(call.sid, "in-progress")
    redirected = await calls(call.sid).update_async(twiml="<Response><Dial>+1</Dial></Response>")
    ended = await calls(call.sid).update_async(status="completed")
    too_late = await _refused(calls(call.sid).update_async(twiml="<Response/>"))

    # then
    assert call.status == "queued" and call.direction == "outbound-api"
    assert (unverified.status, unverified.code) == (400, 21210)
    assert (no_instructions.status, no_instructions.code) == (400, 21205)
    assert redirected.status == "in-progress"
    assert twilio_fake.calls[call.sid]["twiml"][-1] == "<Response><Dial>+1</Dial></Response>"
    assert ended.status == "completed"
    assert (too_late.status, too_late.code) == (400, 21220)


async def test_canceling_a_call_in_progress_does_nothing(twilio_fake):
    # given
    twilio_fake.hold("+14155550123")
    calls = _account(twilio_fake).calls
    call = await calls.create_async(to="+14155550188", from_="+14155550123", url="https://x/")
    twilio_fake.set_call_status(call.sid, "in-progress")

    # when
    answered = await calls(call.sid).update_async(status="canceled")

    # then
    assert answered.status == "in-progress"


async def test_scripted_failures_answer_like_twilio_in_trouble(twilio_fake):
    # given
    twilio_fake.fail(status=503, path_contains="IncomingPhoneNumbers")

    # when
    error = await _refused(_account(twilio_fake).incoming_phone_numbers.list_async())
    after = await _account(twilio_fake).incoming_phone_numbers.list_async()

    # then
    assert (error.status, error.code) == (503, 20503)
    assert after == []


async def test_dial_in_posts_the_voice_url_signed_like_twilio():
    # given: an app that answers whatever Twilio posts, checking the signature
    received = []

    async def app(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        received.append((scope["path"], dict(scope["headers"]), body))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"<Response/>"})

    fake = FakeTwilio()
    fake.hold("+14155550123", voice_url="https://voice.example.test/webhooks/twilio/voice")
    transport = httpx.ASGITransport(app=app)

    # when
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await fake.dial_in("+14155550123", from_="+14155550100", app=client)

    # then
    [(path, headers, body)] = received
    assert path == "/webhooks/twilio/voice"
    params = dict(httpx.QueryParams(body.decode()))
    assert params["To"] == "+14155550123" and params["From"] == "+14155550100"
    assert RequestValidator(fake.auth_token).validate(
        "https://voice.example.test/webhooks/twilio/voice",
        params,
        headers[b"x-twilio-signature"].decode(),
    )
    assert response.text == "<Response/>"
    [call] = fake.calls.values()
    assert call["direction"] == "inbound" and call["twiml"] == ["<Response/>"]
