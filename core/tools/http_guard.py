"""Outbound requests of custom HTTP functions may reach only public addresses.

The check happens where the connection is made, after DNS resolution, for
every connection (so for every redirect too), and the socket is opened to the
very address that was checked: a DNS answer that changes between check and
connect (rebinding) cannot slip through. TLS still verifies the original host
name. Settings' HTTP_TOOL_ALLOWED_NETWORKS lets named hosts or CIDRs through.
The API runs the same check when a function is defined (`check_destination`),
so a function aimed at an internal host is refused before it is stored.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import anyio
import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Names that mean this machine, a private network or a cloud metadata service whatever DNS
# answers where the check runs: `localhost` (RFC 6761), `home.arpa` (RFC 8375), `.internal`
# (reserved for private use), mDNS `.local`, and the metadata services' own names.
_PRIVATE_NAMES = frozenset(
    {
        "localhost",
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
_PRIVATE_SUFFIXES = (".localhost", ".internal", ".local", ".home.arpa")


class BlockedDestination(httpx.TransportError):
    """The destination resolves to an address calls may not reach."""


class AllowList:
    def __init__(self, entries: Iterable[str]) -> None:
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.hosts: set[str] = set()
        for entry in entries:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.strip().lower().rstrip("."))

    def allows_host(self, host: str) -> bool:
        return _normal_name(host) in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast, and not an IPv4 address hiding inside IPv6."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = (
            address.ipv4_mapped
            or address.sixtofour
            or (address.teredo[1] if address.teredo else None)
        )
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast and not address.is_reserved


def is_private_name(host: str) -> bool:
    name = _normal_name(host)
    return name in _PRIVATE_NAMES or name.endswith(_PRIVATE_SUFFIXES)


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to: the guard's one resolver (tests replace it)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def checked_addresses(host: str, port: int, allow: AllowList) -> list[IPAddress]:
    """The addresses of `host`, if calls may reach it: BlockedDestination if not, OSError
    if it does not resolve."""
    internal_name = is_private_name(host) and not allow.allows_host(host)
    try:
        addresses = await resolve_host(host, port)
    except OSError:
        if internal_name:
            raise BlockedDestination(f"{host} names an internal service") from None
        raise
    if not addresses:
        raise OSError(f"{host} has no address")
    if allow.allows_host(host):
        return addresses
    for address in addresses:
        # Every answer must be public: otherwise a later connection could pick another. An
        # internal name passes only where the allow-list admits its addresses.
        if (internal_name or not is_public(address)) and not allow.allows_address(address):
            raise BlockedDestination(f"{host} resolves to a non-public address")
    return addresses


async def check_destination(
    host: str, port: int, *, allowed: Iterable[str], resolve_timeout: float
) -> None:
    """For a function being defined: BlockedDestination if calls could not reach `host`.

    A name that does not resolve here (or not within `resolve_timeout`) passes: the guard
    judges it again on every call, where it counts."""
    with anyio.move_on_after(resolve_timeout):
        try:
            await checked_addresses(host, port, AllowList(allowed))
        except OSError:
            return


class GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, allow: AllowList, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allow = allow
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self._checked_address(host, port)
        return await self.inner.connect_tcp(
            str(address),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise BlockedDestination("unix sockets are not reachable from calls")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)

    async def _checked_address(self, host: str, port: int) -> IPAddress:
        try:
            addresses = await checked_addresses(host, port, self.allow)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}") from error
        return addresses[0]


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, allow: AllowList, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        original = self._pool
        # httpx builds its httpcore pool without a backend argument; rebuild it with ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=original._ssl_context,
            max_connections=original._max_connections,
            max_keepalive_connections=original._max_keepalive_connections,
            keepalive_expiry=original._keepalive_expiry,
            network_backend=GuardedBackend(allow),
        )


def _normal_name(host: str) -> str:
    return host.strip().lower().rstrip(".")


def guarded_client(*, allowed: Iterable[str], timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=GuardedTransport(AllowList(allowed)),
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=3,
    )
