"""Which network addresses a server-side fetch may reach.

Only public (globally routable) addresses, unless
FACTCHECK_FETCH_ALLOW_PRIVATE is on. An IPv6 address that carries an IPv4
address (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``,
NAT64 ``64:ff9b::/96`` and the local-use ``64:ff9b:1::/48``, 6to4
``2002::/16``, Teredo ``2001::/32``) is judged by that IPv4 address too: a
gateway on the path would deliver it there, so ``[64:ff9b::7f00:1]`` is
loopback as surely as ``127.0.0.1``.
"""

from __future__ import annotations

import ipaddress
import logging

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64_NETWORKS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Python's is_global misses some special-purpose ranges in older releases.
NOT_GLOBAL_V6 = (
    ipaddress.IPv6Network("::/8"),
    ipaddress.IPv6Network("2001:db8::/32"),
    ipaddress.IPv6Network("fc00::/7"),
    ipaddress.IPv6Network("fe80::/10"),
    ipaddress.IPv6Network("fec0::/10"),
    ipaddress.IPv6Network("100::/64"),
)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (none for most)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if any(ip in network for network in NAT64_NETWORKS):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        server, client = ip.teredo
        found.extend([server, client])
    return found


def is_public(ip: IPAddress) -> bool:
    """True when ``ip`` and every IPv4 address it carries are globally routable."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        carried = embedded_ipv4(ip)
        if carried:
            return all(_public_v4(v4) for v4 in carried)
        if any(ip in network for network in NOT_GLOBAL_V6):
            return False
        return ip.is_global and not ip.is_multicast
    return _public_v4(ip)


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def parse(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
