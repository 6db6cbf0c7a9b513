"""A delivery that does not get a 2xx is tried again on the documented schedule (the clock
moved, not waited for), then fails; an endpoint that failed for the whole window is switched
off and the people who manage the organization's webhooks get a mail."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.partner_webhooks.schedule import JITTER, MAX_ATTEMPTS, RETRY_DELAYS, retry_window
from core.services import calls
from orm.models import EmailOutbox, WebhookDelivery, WebhookEndpoint
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import FakeClock, deliver_due, dispatcher_of
from tests.support.logs import capture_logs

TRANSCRIPTS = [CallEventType.TRANSCRIPT_SEGMENT]


async def _record_turn(call, text: str = "Hello?") -> str:
    event = await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.CALLER, text=text), bus=None
    )
    assert event is not None
    return str(event.id)


async def _delivery(message_id: str) -> WebhookDelivery:
    return await WebhookDelivery.get(message_id=message_id)


def test_the_schedule_spans_three_days_in_ten_attempts():
    # then: Svix's steps continued to Stripe's three days (docs/webhooks.md has the table)
    assert MAX_ATTEMPTS == 10
    assert timedelta(hours=71) < retry_window() <= timedelta(hours=72)
    assert RETRY_DELAYS[:7] == (
        timedelta(seconds=5),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
        timedelta(hours=10),
    )


async def test_a_failing_endpoint_gets_every_retry_on_schedule_then_is_switched_off(
    make, settings, receiver: PartnerReceiver
):
    # given: an endpoint answering 500 to everything, its organization's owner, a member
    # whose custom role manages webhooks and a plain member
    tenant = await make.tenant()
    manager_role = await make.custom_role(["webhook:manage", "org:read"])
    manager = await make.member(tenant, manager_role.key)
    bystander = await make.member(tenant, "member")
    issued = await make.webhook_endpoint(
        tenant,
        url=receiver.url("/down"),
        event_types=TRANSCRIPTS,
        description="Ticketing (prod)",
    )
    receiver.answer("/down", 500)
    call = await make.call(tenant)
    clock = FakeClock()

    async with dispatcher_of(settings, clock=clock, rng=random.Random(7)) as dispatcher:
        message_id = await _record_turn(call)

        # when: the first attempt, then each retry as its time comes (never before)
        assert await deliver_due(dispatcher) == 1
        for nominal in RETRY_DELAYS:
            row = await _delivery(message_id)
            wait = row.next_attempt_at - clock()
            assert nominal * (1 - JITTER) <= wait <= nominal * (1 + JITTER)
            clock.advance(wait - timedelta(seconds=2))
            assert await deliver_due(dispatcher) == 0, "not before its time"
            clock.advance(timedelta(seconds=2))
            assert await deliver_due(dispatcher) == 1

        # and later still, nothing more
        clock.advance(timedelta(days=30))
        assert await deliver_due(dispatcher) == 0

    # then: ten attempts of the same message, each signed, spaced as the schedule says
    attempts = receiver.received("/down")
    assert len(attempts) == MAX_ATTEMPTS
    assert {a.message_id for a in attempts} == {message_id}
    assert {a.body for a in attempts} == {attempts[0].body}
    assert all(a.signed_by(issued.signing_secret) for a in attempts)
    gaps = [later.timestamp - earlier.timestamp for earlier, later in itertools.pairwise(attempts)]
    for gap, nominal in zip(gaps, RETRY_DELAYS, strict=True):
        assert nominal * (1 - JITTER) - timedelta(seconds=2) <= gap
        assert gap <= nominal * (1 + JITTER) + timedelta(seconds=2)

    # and the delivery failed, with what the last attempt got
    row = await _delivery(message_id)
    assert (row.status, row.attempts, row.last_response_status) == ("failed", 10, 500)
    assert row.last_error == "HTTP 500"
    assert row.delivered_at is None and row.claimed_until is None
    assert row.last_latency_ms is not None and row.last_attempt_at is not None

    # and the endpoint is off, as failing, and those who manage webhooks were told
    endpoint = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert (endpoint.is_enabled, endpoint.disabled_reason) == (False, "failing")
    mails = await EmailOutbox.filter(template="webhook_endpoint_disabled")
    assert sorted(mail.to_address for mail in mails) == sorted([tenant.owner.email, manager.email])
    assert bystander.email not in {mail.to_address for mail in mails}
    assert "Ticketing (prod)" in mails[0].text_body and "3 days" in mails[0].text_body

    # and nothing new is written for it
    await _record_turn(call, "Anyone there?")
    assert await WebhookDelivery.filter(endpoint_id=endpoint.id).count() == 1


async def test_a_success_meanwhile_keeps_the_endpoint_on(make, settings, receiver: PartnerReceiver):
    # given: an endpoint that fails a first delivery throughout, but takes a second one
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/flaky"), event_types=TRANSCRIPTS
    )
    receiver.answer("/flaky", 500, 200, 500)
    call = await make.call(tenant)
    clock = FakeClock()

    async with dispatcher_of(settings, clock=clock) as dispatcher:
        failing = await _record_turn(call, "first")
        await deliver_due(dispatcher)
        succeeding = await _record_turn(call, "second")
        await deliver_due(dispatcher)

        # when: the first one's retries all fail
        while (await _delivery(failing)).status == "pending":
            clock.advance(timedelta(days=1))
            await deliver_due(dispatcher)

    # then: it failed, but the endpoint stays on: it did not fail throughout
    assert (await _delivery(failing)).status == "failed"
    assert (await _delivery(succeeding)).status == "succeeded"
    endpoint = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert (endpoint.is_enabled, endpoint.disabled_reason) == (True, None)
    assert not await EmailOutbox.filter(
        template="webhook_endpoint_disabled", to_address=tenant.owner.email
    ).exists()


async def test_a_retry_that_succeeds_records_the_delivery(
    make, settings, receiver: PartnerReceiver
):
    # given
    tenant = await make.tenant()
    await make.webhook_endpoint(tenant, url=receiver.url("/later"), event_types=TRANSCRIPTS)
    receiver.answer("/later", 503, 502, 200)
    call = await make.call(tenant)
    clock = FakeClock()

    async with dispatcher_of(settings, clock=clock) as dispatcher:
        message_id = await _record_turn(call)

        # when
        await deliver_due(dispatcher)
        clock.advance(RETRY_DELAYS[0] * 2)
        await deliver_due(dispatcher)
        failed_twice = await _delivery(message_id)
        clock.advance(RETRY_DELAYS[1] * 2)
        await deliver_due(dispatcher)

    # then
    assert (failed_twice.attempts, failed_twice.last_error) == (2, "HTTP 502")
    row = await _delivery(message_id)
    assert (row.status, row.attempts, row.last_response_status, row.last_error) == (
        "succeeded",
        3,
        200,
        None,
    )
    assert row.delivered_at is not None
    assert clock() - timedelta(minutes=1) < row.delivered_at <= clock()
    assert [r.json["id"] for r in receiver.received("/later")] == [message_id] * 3


async def test_what_goes_wrong_is_recorded_without_the_url(make, settings, receiver):
    # given: endpoints that redirect, never answer in time, and refuse connections, each
    # with a token in its query string
    tenant = await make.tenant()
    receiver.redirect("/moved", receiver.url("/elsewhere"))
    receiver.hold("/stuck")
    urls = {
        "redirect": receiver.url("/moved?token=redirect-token-123"),
        "timeout": receiver.url("/stuck?token=timeout-token-456"),
        "refused": "http://127.0.0.1:9/closed?token=refused-token-789",
    }
    for url in urls.values():
        await make.webhook_endpoint(tenant, url=url, event_types=TRANSCRIPTS)
    call = await make.call(tenant)
    quick = settings.model_copy(update={"webhook_timeout_seconds": 0.3})

    # when
    with capture_logs() as logs:
        async with dispatcher_of(quick) as dispatcher:
            message_id = await _record_turn(call)
            assert await deliver_due(dispatcher) == 3
    receiver.release("/stuck")

    # then: a redirect is a failure and is not followed; each error says what happened
    outcomes = {
        row.endpoint_id: (row.status, row.last_response_status, row.last_error)
        for row in await WebhookDelivery.filter(message_id=message_id)
    }
    by_url = {
        endpoint.url: outcomes[endpoint.id]
        for endpoint in await WebhookEndpoint.filter(organization_id=tenant.organization_uuid)
    }
    assert by_url[urls["redirect"]] == (
        "pending",
        307,
        "HTTP 307: redirects are not followed",
    )
    assert by_url[urls["timeout"]] == ("pending", None, "no answer within 0.3 s")
    status, response, error = by_url[urls["refused"]]
    assert (status, response) == ("pending", None)
    assert error is not None and error.startswith("could not connect or send")
    assert receiver.received("/elsewhere") == []
    assert all("token" not in str(outcome) for outcome in by_url.values())
    assert not [text for text in logs.texts() if "-token-" in text]
