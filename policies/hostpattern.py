"""Host patterns: `example.fr`, `*.example.fr`, `example.fr/path`, `localhost:8080`.

Patterns are normalised with the same IDNA rules the browser uses, and always matched anchored:
`*.example.fr` is any subdomain at any depth, never the apex and never `example.fr.evil.net`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ada_url

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
LOOPBACK_NAMES = ("localhost",)
LOOPBACK_IPS = ("127.0.0.1", "[::1]")


class HostPatternError(ValueError):
    """A host pattern is malformed; the message says what is expected."""


@dataclass(frozen=True)
class HostPattern:
    """A parsed host pattern. `host` is ASCII (punycode), lower case, without trailing dot."""

    host: str
    wildcard: bool = False
    port: str = ""  # "" means the scheme's default port (any port for loopback hosts)
    path: str = ""  # "" means any path; otherwise a prefix matched on segment boundaries

    @property
    def text(self) -> str:
        return ("*." if self.wildcard else "") + self.host \
            + (f":{self.port}" if self.port else "") + self.path

    def matches_path(self, path: str) -> bool:
        """Path prefix match on a segment boundary: `/aide` allows `/aide/x`, not `/aides`."""
        if not self.path:
            return True
        prefix = self.path.rstrip("/")
        return path == prefix or path.startswith(prefix + "/")


def is_loopback(host: str) -> bool:
    """True for hosts that always resolve to this machine
    (how the portal and test sites are served)."""
    return host in LOOPBACK_NAMES or host.endswith(".localhost") or host in LOOPBACK_IPS \
        or host == "::1"


def parse_host_pattern(text: str) -> HostPattern:
    """Parse one pattern, or raise HostPatternError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise HostPatternError("a host pattern must be a non-empty string such as "
                               "'caf.fr' or '*.caf.fr'")
    raw = text.strip()
    if "://" in raw or raw.startswith("//"):
        raise HostPatternError(f"'{text}' must be a host without a scheme (write 'caf.fr', not "
                               "'https://caf.fr')")
    if any(ch in raw for ch in "@\\?# \t") or any(ord(ch) < 32 for ch in raw):
        raise HostPatternError(f"'{text}' contains a character not allowed in a host pattern")
    host_port, slash, path = raw.partition("/")
    path = slash + path if slash else ""
    wildcard = host_port.startswith("*.")
    if wildcard:
        host_port = host_port[2:]
    if "*" in host_port:
        raise HostPatternError(f"'{text}': a wildcard is only allowed as a leading '*.'")
    host, port = _split_port(host_port, text)
    if wildcard and "." not in host.strip("."):
        raise HostPatternError(f"'{text}': a wildcard needs at least two labels after '*.' "
                               "(e.g. '*.caf.fr')")
    host = _normalise_host(host, text)
    if wildcard:
        if host.startswith("[") or _IPV4.match(host):
            raise HostPatternError(f"'{text}': an IP address cannot take a wildcard")
        if host.count(".") < 1 or host == "localhost":
            raise HostPatternError(f"'{text}': a wildcard needs at least two labels after '*.' "
                                   "(e.g. '*.caf.fr')")
    if path and (".." in path.split("/")):
        raise HostPatternError(f"'{text}': a path prefix cannot contain '..'")
    return HostPattern(host=host, wildcard=wildcard, port=port, path=path)


def _split_port(host_port: str, text: str) -> tuple[str, str]:
    if host_port.startswith("["):
        end = host_port.find("]")
        if end < 0:
            raise HostPatternError(f"'{text}': unclosed '[' in an IPv6 address")
        host, rest = host_port[: end + 1], host_port[end + 1 :]
        if rest and not rest.startswith(":"):
            raise HostPatternError(f"'{text}': unexpected characters after the IPv6 address")
        port = rest[1:]
    else:
        host, _, port = host_port.partition(":")
    if port:
        # ASCII digits only: str.isdigit() also accepts '²' (int() refuses it) and '٣' (the
        # browser refuses it); leading zeros are dropped, as the browser drops them.
        if not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
            raise HostPatternError(f"'{text}': the port must be a number between 1 and 65535")
        port = str(int(port))
    return host, port


def _normalise_host(host: str, text: str) -> str:
    """Normalise exactly as the browser will (WHATWG host parser), then check the result."""
    parsed = ada_url.URL(f"https://{host}/") if ada_url.check_url(f"https://{host}/") else None
    if parsed is None or not parsed.hostname:
        raise HostPatternError(f"'{text}' is not a valid host name")
    ascii_host = parsed.hostname.rstrip(".") if not parsed.hostname.startswith("[") \
        else parsed.hostname
    if ascii_host.startswith("[") or _IPV4.match(ascii_host):
        if ascii_host != host.lower().rstrip("."):
            raise HostPatternError(f"'{text}': write IP addresses in the usual dotted form "
                                   "(e.g. 127.0.0.1)")
        return ascii_host
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise HostPatternError(f"'{text}' is not a valid host name (letters, digits, "
                               "'-' and '.' only)")
    if len(labels) < 2 and not is_loopback(ascii_host):
        raise HostPatternError(f"'{text}' needs a domain (e.g. 'caf.fr'); a single "
                               "word is not a site")
    return ascii_host
