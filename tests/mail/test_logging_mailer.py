import logging
import uuid

from core.email.sender import LoggingMailer
from tests.mail.helpers import queue_mail, reload, send_all_due


async def test_logging_mailer_marks_mail_logged_without_logging_its_body(quiet_app_sender, caplog):
    # given a mail whose body carries a single-use link
    secret = uuid.uuid4().hex
    row = await queue_mail(secret=secret)
    assert secret in row.text_body

    # when
    with caplog.at_level(logging.INFO, logger="core.email.sender"):
        await send_all_due(LoggingMailer())

    # then
    stored = await reload(row)
    assert stored.status == "logged"
    assert stored.attempts == 1
    assert stored.sent_at is not None
    assert stored.provider_message_id is None
    assert stored.claimed_until is None
    mine = [r for r in caplog.records if getattr(r, "mail_id", None) == str(row.id)]
    assert len(mine) == 1
    assert mine[0].to == row.to_address and mine[0].subject == row.subject
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in repr(record.__dict__)


async def test_a_handled_mail_is_not_sent_again(quiet_app_sender):
    # given
    row = await queue_mail()
    await send_all_due(LoggingMailer())
    first = await reload(row)

    # when
    await send_all_due(LoggingMailer())

    # then
    again = await reload(row)
    assert (again.status, again.attempts, again.sent_at) == ("logged", 1, first.sent_at)
