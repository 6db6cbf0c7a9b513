"""Reading what the process logs: every record, or the SQL statements it sent."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

# Tortoise logs every statement it sends (SQLite and asyncpg clients alike) at DEBUG here.
SQL_LOGGER = "tortoise.db_client"
# The database drivers' DEBUG lines echo SQL parameters (sealed values included, as they are
# stored), and aiosqlite's come from its own thread whenever it gets to them: they are not
# what the product logs, and would land in whatever capture happens to be open.
DRIVER_LOGGERS = ("aiosqlite", "asyncpg", SQL_LOGGER)


class RecordingHandler(logging.Handler):
    def __init__(self, *, drivers: bool = False) -> None:
        super().__init__(level=logging.DEBUG)
        self.drivers = drivers
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.drivers or not record.name.startswith(DRIVER_LOGGERS):
            self.records.append(record)

    def texts(self) -> list[str]:
        """Each record as everything a formatter could print: message, extras, traceback."""
        out = []
        for record in self.records:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string is still text to scan
                message = f"{record.msg!r} {record.args!r}"
            exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
            out.append(f"{message} {record.__dict__!r} {exc}")
        return out


@contextlib.contextmanager
def capture_logs(
    logger: str = "", level: int = logging.DEBUG, *, drivers: bool = False
) -> Iterator[RecordingHandler]:
    """Every record of this logger (the root: the whole process) while the block runs;
    the database drivers' own lines only when `drivers` is set."""
    target = logging.getLogger(logger)
    handler = RecordingHandler(drivers=drivers)
    previous = target.level
    target.addHandler(handler)
    target.setLevel(level)
    try:
        yield handler
    finally:
        target.removeHandler(handler)
        target.setLevel(previous)


class _StatementLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(("Created connection", "Closed")):
            self.statements.append(message)


@contextlib.contextmanager
def sql_statements() -> Iterator[list[str]]:
    """The SQL statements the process sends inside the block (the session's server runs no
    background loop, so they are the requests')."""
    logger = logging.getLogger(SQL_LOGGER)
    handler = _StatementLog()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
