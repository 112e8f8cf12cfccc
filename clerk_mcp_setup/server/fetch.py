"""Outbound fetches of URLs a model chose (profile images, logos), safe against server-side request forgery.

The model names the URL, so the server must not become its way into the operator's network: only https
(http only to hosts the operator allows with `--allow-fetch-host`); every address the name resolves to must
be public (no loopback, private, link-local, multicast, reserved, unspecified, CGNAT, cloud-metadata, nor an
IPv6 form wrapping one); the connection goes to the very address that was checked (the URL's host is
replaced by it, the name kept for the Host header, TLS SNI and certificate check), so a DNS answer that
changes between check and connect cannot slip through; redirects are followed by hand, at most three, each
hop checked again; the body must be `image/*` and is streamed up to a size cap. Errors say which rule
refused, never the target's status, headers or body.

httpx does the HTTP and TLS; only the address policy is ours, since no library states this exact policy.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:  # imported when an image is fetched: `tools/list` start-up stays free of httpx (test_bench_smoke)
    import httpx

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
TIMEOUT = 15.0
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class FetchRefused(Exception):
    """The image was not fetched; `category` says which rule refused, in words safe to show the model."""

    def __init__(self, category: str) -> None:
        super().__init__(category)
        self.category = category


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for a public unicast address, looking inside the IPv6 forms that carry an IPv4 one."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None and not address_allowed(inner):
            return False
    if ip in _METADATA or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT):
        return False
    bad = ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
    return ip.is_global and not bad and not ip.is_unspecified


@dataclass(frozen=True)
class FetchPolicy:
    """Which hosts the operator trusts for plain http and private addresses (`host` or `host:port`)."""

    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def allowing(cls, hosts: Iterable[str]) -> FetchPolicy:
        return cls(frozenset(h.strip().lower() for h in hosts if h.strip()))

    def trusts(self, url: httpx.URL) -> bool:
        host = url.host.lower()
        return host in self.allowed_hosts or f"{host}:{url.port or _default_port(url)}" in self.allowed_hosts


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise FetchRefused("the host name does not resolve") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def _target(url: httpx.URL, policy: FetchPolicy) -> str:
    """The address to connect to for `url`, once every address its host resolves to passed the policy."""
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchRefused("only https URLs are allowed")
    if url.userinfo:
        raise FetchRefused("URLs with a user name or password are not allowed")
    trusted = policy.trusts(url)
    if url.scheme == "http" and not trusted:
        raise FetchRefused("only https URLs are allowed (plain http only to hosts allowed with --allow-fetch-host)")
    addresses = await _resolve(url.host, url.port or _default_port(url))
    if not addresses:
        raise FetchRefused("the host name does not resolve")
    if not trusted:
        for text in addresses:
            if not address_allowed(ipaddress.ip_address(text.split("%")[0])):
                raise FetchRefused("address not allowed (a private, loopback, link-local or reserved address)")
    return addresses[0]


async def fetch_image(url: str, policy: FetchPolicy, max_bytes: int = MAX_IMAGE_BYTES) -> tuple[bytes, str]:
    """The image's bytes and content type, or FetchRefused saying why not."""
    import httpx

    try:
        current = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise FetchRefused("not a valid URL") from None
    # trust_env=False: a proxy from the environment would connect on our behalf to an address we never checked.
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            address = await _target(current, policy)
            pinned = current.copy_with(host=address)
            host_header = current.netloc.decode("ascii").rsplit("@", 1)[-1]
            extensions = {"sni_hostname": current.host} if current.scheme == "https" else {}
            request = client.build_request("GET", pinned, headers={"Host": host_header}, extensions=extensions)
            try:
                response = await client.send(request, stream=True)
            except httpx.TimeoutException:
                raise FetchRefused("the server did not answer in time") from None
            except httpx.HTTPError:
                raise FetchRefused("could not connect") from None
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    try:
                        current = current.join(location)
                    except httpx.InvalidURL:
                        raise FetchRefused("a redirect to an invalid URL") from None
                    continue
                return await _read_image(response, max_bytes)
            finally:
                await response.aclose()
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")


async def _read_image(response: httpx.Response, max_bytes: int) -> tuple[bytes, str]:
    import httpx

    if not response.is_success:
        raise FetchRefused("the server did not return the image")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind.startswith("image/"):
        raise FetchRefused("not an image")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(f"larger than {max_bytes // (1024 * 1024)} MB")
    data = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            data.extend(chunk)
            if len(data) > max_bytes:
                raise FetchRefused(f"larger than {max_bytes // (1024 * 1024)} MB")
    except httpx.HTTPError:
        raise FetchRefused("the download broke off") from None
    return bytes(data), kind
