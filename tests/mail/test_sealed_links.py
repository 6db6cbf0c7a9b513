"""A mail's single-use link is never stored in the clear: the outbox row keeps it sealed (bound
to the row) until the sender renders it into the mail it sends, and blanks it once the mail
is sent, given up on, or its link has expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.email import outbox
from orm.models import EmailOutbox
from tests.mail.helpers import (
    LINK_SECRET,
    mailer_for,
    make_due,
    queue_mail,
    reload,
    send_all_due,
)
from tests.support.factories import unique_email


async def test_the_row_keeps_the_link_sealed_and_the_recipient_gets_it(fake_resend):
    # given
    row = await queue_mail()

    # when
    stored = await reload(row)
    await send_all_due(mailer_for(fake_resend.url))

    # then: at rest, nothing of the link; in the mail, the whole link, in both bodies
    for column in (stored.subject, stored.text_body, stored.html_body, stored.sealed_values):
        assert LINK_SECRET not in column
    assert stored.sealed_values.startswith("v1.")
    [received] = fake_resend.to(row.to_address)
    assert f"https://dashboard.test/reset?token={LINK_SECRET}" in received.body["text"]
    assert f'href="https://dashboard.test/reset?token={LINK_SECRET}"' in received.body["html"]
    sent = await reload(row)
    assert (sent.status, sent.sealed_values) == ("sent", None)


async def test_a_mail_given_up_on_keeps_no_link(fake_resend):
    # given
    fake_resend.answer(422)
    row = await queue_mail()

    # when
    await send_all_due(mailer_for(fake_resend.url))

    # then
    stored = await reload(row)
    assert (stored.status, stored.sealed_values) == ("failed", None)


async def test_a_mail_waiting_for_a_retry_keeps_its_link_sealed(fake_resend):
    # given
    fake_resend.answer(500)
    row = await queue_mail()

    # when
    await send_all_due(mailer_for(fake_resend.url))
    waiting = await reload(row)
    await make_due(row)
    await send_all_due(mailer_for(fake_resend.url))

    # then: the retry carries the same link
    assert waiting.status == "pending" and waiting.sealed_values is not None
    first, second = fake_resend.to(row.to_address)
    assert first.body["text"] == second.body["text"]
    assert LINK_SECRET in second.body["text"]


async def test_a_link_that_expired_before_sending_is_never_sent(fake_resend):
    # given
    row = await queue_mail(expires_at=datetime.now(UTC) - timedelta(seconds=1))

    # when
    await send_all_due(mailer_for(fake_resend.url))

    # then
    assert fake_resend.to(row.to_address) == []
    stored = await reload(row)
    assert (stored.status, stored.sealed_values) == ("discarded", None)


async def test_forgetting_the_secret_blanks_the_link_and_the_mail_is_not_sent(fake_resend):
    # given: the link's token was used or replaced before the sender got to the mail
    row = await queue_mail(ref="one_time_token:test-forget")

    # when
    await outbox.forget_secret(ref="one_time_token:test-forget")
    blanked = await reload(row)
    await send_all_due(mailer_for(fake_resend.url))

    # then
    assert blanked.sealed_values is None
    assert fake_resend.to(row.to_address) == []
    assert (await reload(row)).status == "discarded"


async def test_a_sealed_link_copied_to_another_row_does_not_open(fake_resend):
    # given: someone with write access moves a sealed link to a mail of their own
    victim = await queue_mail()
    thief = await queue_mail(to_address=unique_email("thief"), secret="another-secret-000000")
    await EmailOutbox.filter(id=thief.id).update(sealed_values=(await reload(victim)).sealed_values)

    # when
    await send_all_due(mailer_for(fake_resend.url))

    # then
    assert fake_resend.to(thief.to_address) == []
    stored = await reload(thief)
    assert (stored.status, stored.sealed_values) == ("failed", None)
    assert [mail.to for mail in fake_resend.received] == [[victim.to_address]]
