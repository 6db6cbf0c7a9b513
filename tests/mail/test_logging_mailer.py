import logging

from core.email.sender import LoggingMailer, prepare
from tests.mail.helpers import queue_mail, reload, send_all_due
from tests.support.mail import server_settings

# A single-use link's token: it must never reach a log line.
SECRET = "reset-token-0f1e2d3c4b5a69788796a5b4"


async def test_logging_mailer_marks_mail_logged_without_logging_its_body(caplog):
    # given a mail whose body carries a single-use link
    row = await queue_mail(secret=SECRET)
    assert SECRET in (await prepare(row, settings=server_settings())).text

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
    assert stored.sealed_values is None  # logged is as final as sent: the link is gone
    mine = [r for r in caplog.records if getattr(r, "mail_id", None) == str(row.id)]
    assert len(mine) == 1
    assert mine[0].to == row.to_address and mine[0].subject == row.subject
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.__dict__)


async def test_a_handled_mail_is_not_sent_again():
    # given
    row = await queue_mail()
    await send_all_due(LoggingMailer())
    first = await reload(row)

    # when
    await send_all_due(LoggingMailer())

    # then
    again = await reload(row)
    assert (again.status, again.attempts, again.sent_at) == ("logged", 1, first.sent_at)
