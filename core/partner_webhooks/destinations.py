"""Where partner webhooks may go: the rules an endpoint's URL is held to.

An endpoint is checked with the SSRF guard of custom HTTP functions (core/tools/http_guard.py)
when it is registered or changed, and every delivery is checked again where its connection
is made. Both use `allowed_networks`: WEBHOOK_ALLOWED_NETWORKS, plus this machine's loopback
in development, so a developer can point an endpoint at a receiver on their laptop while a
production installation refuses 127.0.0.1, `localhost` and private ranges unless an operator
lists them.
"""

from __future__ import annotations

import ipaddress

from core.settings import Settings

MAX_URL_LENGTH = 2048
_LOOPBACK_NETWORKS = ("127.0.0.0/8", "::1/128")
_LOOPBACK_NAME = "localhost"


def is_loopback_host(host: str) -> bool:
    """`localhost` (RFC 6761: it and its subdomains are this machine) or a loopback address
    written as one."""
    name = host.strip().lower().rstrip(".")
    if name == _LOOPBACK_NAME or name.endswith("." + _LOOPBACK_NAME):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allows_plain_http(host: str, settings: Settings) -> bool:
    """http (without TLS) only to this machine, and only in development."""
    return not settings.is_production and is_loopback_host(host)


def allowed_networks(settings: Settings) -> list[str]:
    """The SSRF guard's allow-list for partner webhooks (CIDRs and host names)."""
    loopback = [] if settings.is_production else [*_LOOPBACK_NETWORKS, _LOOPBACK_NAME]
    return [*settings.webhook_allowed_networks, *loopback]
