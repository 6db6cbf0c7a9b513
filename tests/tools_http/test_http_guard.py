"""core.tools.http_guard: which addresses count as public, and the allow-list."""

from __future__ import annotations

import ipaddress

import pytest

from core.tools.http_guard import AllowList, is_public


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("1.1.1.1", True),
        ("2606:4700:4700::1111", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata (link-local)
        ("100.64.0.1", False),  # CGNAT shared space
        ("192.0.0.1", False),
        ("192.0.2.1", False),  # documentation
        ("198.18.0.1", False),  # benchmarking
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:169.254.169.254", False),
        ("::ffff:8.8.8.8", True),  # IPv4-mapped public
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254
        ("2002:808:808::", True),  # 6to4 of 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo wrapping 127.0.0.1
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("fc00::1", False),  # unique local
        ("fd12:3456::1", False),
        ("fe80::1", False),  # link-local
        ("ff02::1", False),  # multicast
        ("2001:db8::1", False),  # documentation
    ],
)
def test_is_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_allow_list_takes_networks_and_host_names():
    # given
    allow = AllowList(["127.0.0.1/32", "10.0.0.0/8", "Internal.Example."])

    # then
    assert allow.allows_address(ipaddress.ip_address("127.0.0.1"))
    assert not allow.allows_address(ipaddress.ip_address("127.0.0.2"))
    assert allow.allows_address(ipaddress.ip_address("10.200.0.1"))
    assert not allow.allows_address(ipaddress.ip_address("192.168.0.1"))
    assert allow.allows_host("internal.example")
    assert allow.allows_host("INTERNAL.example.")
    assert not allow.allows_host("other.example")
