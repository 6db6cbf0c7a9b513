"""The server's access log prints paths, never query strings.

uvicorn logs every request line whole: the Google OAuth callback's `code` (a grant worth a
refresh token) and `state`, and whatever a webhook caller put in its URL. No route of the
API needs its query string logged, so every one is replaced, whatever the path.
"""

from __future__ import annotations

import logging

# The logger uvicorn writes request lines to, and what stands in for a query string there.
ACCESS_LOGGER = "uvicorn.access"
REDACTED = "?[redacted]"


class QueryStringRedaction(logging.Filter):
    """Rewrites uvicorn's access records: args are (client, method, path?query, version,
    status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, separator, _ = args[2].partition("?")
            if separator:
                record.args = (args[0], args[1], path + REDACTED, args[3], args[4])
        return True


def install() -> None:
    """Redact the access log of this process (idempotent)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, QueryStringRedaction) for existing in logger.filters):
        logger.addFilter(QueryStringRedaction())


# httpx logs each request it sends at INFO, URL whole: a partner webhook endpoint's URL may
# carry the partner's own token in its query string.
CLIENT_LOGGER = "httpx"


class ClientQueryStringRedaction(logging.Filter):
    """Rewrites httpx's request records: args are (method, url, http version, status,
    reason)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            url = str(args[1])
            address, separator, _ = url.partition("?")
            if separator:
                record.args = (args[0], address + REDACTED, *args[2:])
        return True


def install_client() -> None:
    """Redact the query strings of the requests this process sends (idempotent)."""
    logger = logging.getLogger(CLIENT_LOGGER)
    if not any(isinstance(existing, ClientQueryStringRedaction) for existing in logger.filters):
        logger.addFilter(ClientQueryStringRedaction())
