"""Every trick a hostile page or a typo could produce, decided like the browser parses it."""

from __future__ import annotations

import pytest

from policies import Frame, Reason
from tests.policies.conftest import one_site_policy

ALLOWED = [
    ("https://www.caf.fr/mon-compte", "caf"),
    ("https://caf.fr/", "caf"),
    ("https://a.b.c.caf.fr/deep", "caf"),
    ("HTTPS://WWW.CAF.FR/x", "caf"),                   # case
    ("https://CAF.FR./", "caf"),                       # trailing dot
    ("https://www.caf.fr:443/", "caf"),                # explicit default port
    ("https://www.%63af.fr/", "caf"),                  # percent-encoded host, decoded by the
                                                       # browser
    ("https://ｗｗｗ.ｃａｆ.ｆｒ/", "caf"),                # full-width letters fold to ASCII
    ("https:\\\\www.caf.fr\\path", "caf"),             # backslashes are slashes for https
    ("  https://www.caf.fr/a \n", "caf"),              # surrounding whitespace is stripped
    ("https://www.caf.fr/\t", "caf"),                  # tabs removed by the URL parser
    ("https://oidc.franceconnect.gouv.fr/auth", "franceconnect"),
    ("https://example.org/aide", "aide"),
    ("https://example.org/aide/formulaire?x=1", "aide"),
    ("https://ports.example.org:8443/", "aide"),
    ("http://test.localhost:5000/", "aide"),           # loopback: http, on the port it names
    ("http://127.0.0.1:8765/accueil", "portal"),
]

REFUSED = [
    ("https://caf.fr@evil.net/", Reason.NO_MATCH),             # userinfo
    ("https://www.caf.fr:pass@evil.net/", Reason.NO_MATCH),
    ("https://caf.fr.evil.net/", Reason.NO_MATCH),             # suffix confusion
    ("https://www.caf.fr.evil.net./", Reason.NO_MATCH),
    ("https://evilcaf.fr/", Reason.NO_MATCH),
    ("https://caf.fr-evil.net/", Reason.NO_MATCH),
    ("https://evil.net/caf.fr", Reason.NO_MATCH),              # path confusion
    ("https://evil.net/?u=https://caf.fr/", Reason.NO_MATCH),
    ("https://evil.net#https://caf.fr/", Reason.NO_MATCH),
    ("https://xn--caf-dma.fr/", Reason.NO_MATCH),              # IDN lookalike (café.fr)
    ("https://café.fr/", Reason.NO_MATCH),
    ("https://\u0441\u0430f.fr/", Reason.NO_MATCH),            # Cyrillic homoglyphs of "caf"
    ("https://www.caf.fr:8443/", Reason.PORT),                 # explicit non-default port
    ("https://ports.example.org/", Reason.PORT),               # pattern names a port
    ("https://example.org/aides", Reason.NO_MATCH),            # path prefix on a segment boundary
    ("https://example.org/", Reason.NO_MATCH),
    ("https://example.org/aide/../admin", Reason.NO_MATCH),    # dot segments resolved first
    ("https://example.org/aide/%2e%2e/admin", Reason.NO_MATCH),
    ("https://1572395042/", Reason.NO_MATCH),                  # decimal IPv4 of 93.184.216.34
    ("https://0x5d.0xb8.0xd8.0x22/", Reason.NO_MATCH),         # hex IPv4
    ("https://0135.0270.0330.042/", Reason.NO_MATCH),          # octal IPv4
    ("https://[::ffff:5db8:d822]/", Reason.NO_MATCH),          # IPv4-mapped IPv6
    ("https://[::1]/", Reason.NO_MATCH),                       # IPv6 literal not listed
    ("https://93.184.216.34/", Reason.NO_MATCH),
    ("http://www.caf.fr/", Reason.INSECURE),                   # plain http off loopback
    ("http://2130706433.evil.net/", Reason.INSECURE),
    ("javascript:alert(1)", Reason.SCHEME),
    ("JaVaScRiPt:alert(1)", Reason.SCHEME),
    (" javascript:alert(1)", Reason.SCHEME),
    ("data:text/html,<h1>x</h1>", Reason.SCHEME),
    ("file:///etc/passwd", Reason.SCHEME),
    ("blob:https://www.caf.fr/1234", Reason.SCHEME),
    ("filesystem:https://www.caf.fr/temporary/x", Reason.SCHEME),
    ("view-source:https://www.caf.fr/", Reason.SCHEME),
    ("about:blank", Reason.SCHEME),
    ("about:config", Reason.SCHEME),
    ("chrome://settings", Reason.SCHEME),
    ("devtools://devtools/bundled/inspector.html", Reason.SCHEME),
    ("mailto:someone@caf.fr", Reason.SCHEME),
    ("tel:+33123456789", Reason.SCHEME),
    ("intent://caf.fr#Intent;scheme=https;end", Reason.SCHEME),
    ("ftp://caf.fr/", Reason.SCHEME),
    ("ws://caf.fr/", Reason.SCHEME),
    ("", Reason.INVALID_URL),
    ("not a url", Reason.INVALID_URL),
    ("https://", Reason.INVALID_URL),
    ("https://exa mple.org/", Reason.INVALID_URL),
    ("https://caf.fr%00.evil.net/", Reason.INVALID_URL),        # encoded NUL in host
]


@pytest.mark.parametrize(("url", "site_id"), ALLOWED)
def test_listed_host_opens_in_main_frame(allowlist, url, site_id):
    decision = allowlist.decide(url)
    assert decision.allowed, decision
    assert decision.site_id == site_id


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_trick_url_is_refused_with_its_reason(allowlist, url, reason):
    decision = allowlist.decide(url)
    assert not decision.allowed
    assert decision.reason is reason


IN_PAGE = ("data:", "blob:", "about:blank")


@pytest.mark.parametrize(("url", "reason"), [r for r in REFUSED if not r[0].startswith(IN_PAGE)])
def test_trick_url_is_refused_in_subframes_too(allowlist, url, reason):
    assert not allowlist.decide(url, Frame.SUBFRAME).allowed


def test_shared_service_reports_its_own_id(allowlist):
    decision = allowlist.decide("https://franceconnect.gouv.fr/")
    assert (decision.allowed, decision.reason, decision.site_id) == (True, Reason.SHARED,
                                                                     "franceconnect")


def test_wildcard_does_not_match_the_apex_unless_listed():
    from policies import Allowlist, parse_policy

    only_wildcard = Allowlist(parse_policy(one_site_policy(["*.example.fr"],
                                                           "https://www.example.fr/")))
    assert only_wildcard.decide("https://www.example.fr/").allowed
    assert not only_wildcard.decide("https://example.fr/").allowed


def test_in_page_content_is_allowed_in_subframes_but_never_as_a_page(allowlist):
    for url in ("about:blank", "about:srcdoc", "data:image/png;base64,AAAA",
                "blob:https://www.caf.fr/1"):
        assert allowlist.decide(url, Frame.SUBFRAME).allowed
        assert not allowlist.decide(url, Frame.MAIN_FRAME).allowed


def test_subresources_are_not_filtered_unless_strict(allowlist, strict_allowlist):
    url = "https://cdn.elsewhere.net/app.js"
    assert allowlist.decide(url, Frame.SUBRESOURCE).reason is Reason.NOT_FILTERED
    strict = strict_allowlist.decide(url, Frame.SUBRESOURCE)
    assert not strict.allowed and strict.host == "cdn.elsewhere.net"
    assert strict_allowlist.decide("https://static.caf.fr/app.js", Frame.SUBRESOURCE).allowed


def test_non_web_schemes_are_refused_even_as_unfiltered_subresources(allowlist):
    for url in ("file:///etc/passwd", "chrome://gpu", "view-source:https://www.caf.fr/"):
        assert not allowlist.decide(url, Frame.SUBRESOURCE).allowed


def test_the_empty_policy_opens_nothing():
    from policies import Allowlist, Policy

    closed = Allowlist(Policy.empty())
    assert not closed.decide("https://www.caf.fr/").allowed
    assert not closed.decide("http://localhost/").allowed


def test_every_default_tile_opens_and_every_category_is_used(default_policy):
    from policies import Allowlist

    allow = Allowlist(default_policy)
    for site in default_policy.sites:
        decision = allow.decide(site.url)
        assert decision.allowed and decision.site_id == site.id, site.id
    assert len(default_policy.sites) >= 15
    assert len({site.category for site in default_policy.sites}) >= 8
    assert {"franceconnect", "fi_impots", "fi_ameli"} <= {s.id for s in default_policy.shared}
    assert all(site.description and site.icon for site in default_policy.sites)


@pytest.mark.parametrize("url", ["http://2130706433:8765/", "http://0x7f.0.0.1:8765/",
                                 "http://0177.0.0.1:8765/", "http://127.1:8765/"])
def test_numeric_ipv4_forms_are_normalised_before_matching(allowlist, url):
    decision = allowlist.decide(url)  # the portal's origin is 127.0.0.1:8765
    assert decision.host == "127.0.0.1" and decision.reason is Reason.INTERNAL
