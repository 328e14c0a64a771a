"""Which host patterns a catalogue may hold: a pattern must name sites, not whole namespaces.

`parse_host_pattern` says whether a pattern is well formed; this says whether it is narrow enough
for a catalogue (and the accompanied mode), where a pattern opens the terminal to whoever can
serve pages under it:
- a wildcard on a public suffix (`*.github.io`, `*.herokuapp.com`, `*.co.uk`, `*.com.fr`) lets
  anyone who registers a name there in. Public suffixes come from the Public Suffix List shipped
  inside the `publicsuffixlist` package (read offline, never fetched by the terminal);
- an IP literal (`127.0.0.1`, `[::1]`, `0.0.0.0`, `169.254.169.254`, `10.0.0.1`...) is a machine,
  not a site, and often one of the association's own;
- a loopback name (`localhost`, `caf.localhost`) is this terminal: allowed only with an explicit
  port (that is how tests and demos stand in for real sites), and never the portal's own port
  or CUPS's 631.
A few suffixes are delegated only to public bodies (`gouv.fr`): a wildcard on them is allowed,
with a warning the mediator sees.
"""

from __future__ import annotations

import functools

from .hostpattern import _IPV4, HostPattern, HostPatternError, is_loopback

# Suffixes on which only public bodies get names: a wildcard there is broad but not open to
# anyone. Kept short on purpose; anything else on the Public Suffix List is refused.
PUBLIC_BODY_SUFFIXES = frozenset({"gouv.fr"})
# Loopback ports that are the terminal's own services: CUPS, and the portal's default port and
# the mediator's network port next to it (the Allowlist also refuses the portal's actual port).
RESERVED_LOOPBACK_PORTS = frozenset({"631", "8765", "8766"})


@functools.cache
def _suffix_list():
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the list bundled in the package, parsed once


def is_public_suffix(host: str) -> bool:
    """True for a name under which anyone may register (`github.io`, `co.uk`, `fr`)."""
    return bool(_suffix_list().is_public(host))


def check_breadth(pattern: HostPattern) -> str | None:
    """Raise HostPatternError when a well-formed pattern is too broad for a catalogue; return a
    warning (English, for the CLI; the portal translates it) when it is broad but allowed."""
    text = pattern.text
    if pattern.host.startswith("[") or _IPV4.match(pattern.host):
        raise HostPatternError(f"'{text}': an IP address is not a site; write the site's name "
                               "(e.g. 'caf.fr')")
    if is_loopback(pattern.host):
        if not pattern.port:
            raise HostPatternError(f"'{text}': a loopback name needs a port (e.g. "
                                   "'caf.localhost:8443'); without one it reaches every "
                                   "service of this machine")
        if pattern.port in RESERVED_LOOPBACK_PORTS:
            raise HostPatternError(f"'{text}': port {pattern.port} is reserved for the "
                                   "terminal's own services (portal, printing)")
    if pattern.wildcard and is_public_suffix(pattern.host):
        if pattern.host in PUBLIC_BODY_SUFFIXES:
            return (f"'{text}' covers every site of the public bodies under '{pattern.host}': "
                    "check that this is wanted")
        raise HostPatternError(f"'{text}': '{pattern.host}' is a public suffix, where anyone "
                               "can register a name; list the site itself (e.g. "
                               f"'example.{pattern.host}')")
    return None
