import asyncio
from datetime import UTC, datetime, timedelta

from core.email.sender import Mailer, OutgoingMail, backoff, prepare, send_due
from tests.fakes.resend import FakeResend
from tests.mail.helpers import (
    API_KEY,
    SENDER,
    mailer_for,
    make_due,
    queue_mail,
    reload,
    send_all_due,
)
from tests.support.mail import server_settings
from tests.support.waiting import DEADLINE


async def test_a_sent_mail_is_marked_sent_with_the_providers_id(fake_resend):
    # given
    row = await queue_mail()
    expected = await prepare(row, settings=server_settings())

    # when
    await send_all_due(mailer_for(fake_resend.url))

    # then
    [received] = fake_resend.to(row.to_address)
    assert expected is not None
    assert received.body == {
        "from": SENDER,
        "to": [row.to_address],
        "subject": expected.subject,
        "text": expected.text,
        "html": expected.html,
    }
    assert received.authorization == f"Bearer {API_KEY}"
    assert received.idempotency_key == f"outbox-{row.id}"
    stored = await reload(row)
    assert stored.status == "sent"
    assert stored.attempts == 1
    assert stored.last_error is None
    assert stored.sent_at is not None
    assert stored.claimed_until is None
    assert stored.provider_message_id is not None and len(stored.provider_message_id) == 36


async def test_a_server_error_keeps_the_mail_pending_with_backoff(fake_resend):
    # given
    fake_resend.answer(500)
    row = await queue_mail()

    # when
    before = datetime.now(UTC)
    await send_all_due(mailer_for(fake_resend.url))
    after = datetime.now(UTC)

    # then
    assert len(fake_resend.to(row.to_address)) == 1
    stored = await reload(row)
    assert stored.status == "pending"
    assert stored.attempts == 1
    assert "500" in stored.last_error
    assert stored.sent_at is None and stored.claimed_until is None
    assert before + backoff(1) <= stored.next_attempt_at <= after + backoff(1)
    assert backoff(1) == timedelta(seconds=30)


async def test_a_retry_waits_twice_as_long_and_keeps_the_idempotency_key(fake_resend):
    # given a mail that failed once and is due again
    fake_resend.answer(500, 429)
    row = await queue_mail()
    mailer = mailer_for(fake_resend.url)
    await send_all_due(mailer)
    await make_due(row)

    # when it fails again (rate limited), and is then sent
    before = datetime.now(UTC)
    await send_all_due(mailer)
    after = datetime.now(UTC)
    retried = await reload(row)
    await make_due(row)
    await send_all_due(mailer)

    # then
    assert retried.status == "pending" and retried.attempts == 2
    assert "429" in retried.last_error
    assert before + backoff(2) <= retried.next_attempt_at <= after + backoff(2)
    assert backoff(2) == timedelta(seconds=60)
    received = fake_resend.to(row.to_address)
    assert [mail.idempotency_key for mail in received] == [f"outbox-{row.id}"] * 3
    stored = await reload(row)
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 3, None)


async def test_a_validation_error_fails_the_mail_at_once(fake_resend):
    # given
    fake_resend.answer(422)
    row = await queue_mail()

    # when
    await send_all_due(mailer_for(fake_resend.url))
    await make_due(row)
    await send_all_due(mailer_for(fake_resend.url))

    # then
    assert len(fake_resend.to(row.to_address)) == 1
    stored = await reload(row)
    assert stored.status == "failed"
    assert stored.attempts == 1
    assert "422" in stored.last_error
    assert stored.sent_at is None


async def test_the_mail_fails_after_the_last_attempt(fake_resend):
    # given Resend fails every time
    max_attempts = 3
    fake_resend.answer(*[500] * (max_attempts + 2))
    row = await queue_mail()
    mailer = mailer_for(fake_resend.url)

    # when
    statuses = []
    for _ in range(max_attempts + 1):
        await send_all_due(mailer, max_attempts=max_attempts)
        statuses.append((await reload(row)).status)
        await make_due(row)

    # then
    assert statuses == ["pending", "pending", "failed", "failed"]
    assert len(fake_resend.to(row.to_address)) == max_attempts
    stored = await reload(row)
    assert stored.attempts == max_attempts
    assert "500" in stored.last_error


async def test_mail_written_while_resend_is_down_is_sent_when_it_answers(
    fake_resend: FakeResend,
):
    # given Resend is unreachable (its port closed)
    await fake_resend.stop()
    mailer = mailer_for(fake_resend.url)
    row = await queue_mail()
    await send_all_due(mailer)
    waiting = await reload(row)

    # when it comes back, on the same address
    await fake_resend.start()
    await make_due(row)
    await send_all_due(mailer)

    # then
    assert waiting.status == "pending" and waiting.attempts == 1
    assert "All connection attempts failed" in waiting.last_error
    [received] = fake_resend.to(row.to_address)
    assert received.idempotency_key == f"outbox-{row.id}"
    stored = await reload(row)
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 2, None)


async def test_mail_not_yet_due_is_left_alone(fake_resend):
    # given a mail that failed and waits for its backoff
    fake_resend.answer(500)
    row = await queue_mail()
    await send_all_due(mailer_for(fake_resend.url))

    # when
    await send_all_due(mailer_for(fake_resend.url))

    # then
    assert len(fake_resend.to(row.to_address)) == 1
    assert (await reload(row)).attempts == 1


class OverlappingMailer:
    """Holds the first mail a pass sends until the other pass is sending one too, so the
    two passes overlap however fast or slow the machine is."""

    status_on_success = "sent"

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer
        self.both_sending = asyncio.Barrier(2)
        self.held = 0

    async def send(self, mail: OutgoingMail) -> str | None:
        if self.held < 2:
            self.held += 1
            await asyncio.wait_for(self.both_sending.wait(), DEADLINE)
        return await self.mailer.send(mail)


async def test_concurrent_senders_never_send_a_mail_twice(fake_resend):
    # given several mails, and two senders each holding its first mail until both hold one
    rows = [await queue_mail() for _ in range(6)]
    mailer = OverlappingMailer(mailer_for(fake_resend.url))

    # when two passes select the same due rows at the same time
    handled = await asyncio.gather(
        send_due(mailer=mailer, max_attempts=8, settings=server_settings()),
        send_due(mailer=mailer, max_attempts=8, settings=server_settings()),
    )
    await send_all_due(mailer)

    # then they shared the work, and every mail went out exactly once
    assert all(count > 0 for count in handled), handled
    for row in rows:
        assert len(fake_resend.to(row.to_address)) == 1, row.to_address
        stored = await reload(row)
        assert (stored.status, stored.attempts) == ("sent", 1)
