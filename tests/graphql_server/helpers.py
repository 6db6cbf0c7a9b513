"""Helpers for the server-wide tests: counting SQL statements the server runs."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

# Tortoise logs every statement it sends (SQLite and asyncpg clients alike) at DEBUG here.
SQL_LOGGER = "tortoise.db_client"


class SqlLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # The mail sender polls the outbox in the same process; its statements are not ours.
        if "email_outbox" in message or message.startswith(("Created connection", "Closed")):
            return
        self.statements.append(message)


@contextlib.contextmanager
def sql_statements() -> Iterator[list[str]]:
    """Collect the SQL statements run (by the in-process server) inside the block."""
    logger = logging.getLogger(SQL_LOGGER)
    handler = SqlLog()
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
