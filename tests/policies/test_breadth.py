"""A catalogue names sites, not namespaces: wildcards on public suffixes, IP addresses and bare
loopback names are refused with a reason; the shipped catalogue and the test sites still load."""

from __future__ import annotations

import pytest

from policies import Allowlist, PolicyError, default_policy_path, load_policy, parse_policy
from tests.policies.conftest import one_site_policy


def catalogue(host: str, url: str = "https://www.caf.fr/"):
    return parse_policy(one_site_policy(["www.caf.fr", host], url), "catalogue.toml")


@pytest.mark.parametrize("host", ["*.github.io", "*.herokuapp.com", "*.blogspot.com", "*.co.uk",
                                  "*.com.fr", "*.fr", "*.asso.fr", "*.localhost:8443",
                                  "*.compute.amazonaws.com"])
def test_a_wildcard_on_a_public_suffix_is_refused(host):
    with pytest.raises(PolicyError) as caught:
        catalogue(host)
    issue = caught.value.issues[0]
    assert issue.code == "invalid_host_pattern" and issue.line == 10
    assert "public suffix" in issue.message or "needs" in issue.message


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "0.0.0.0", "169.254.169.254", "10.0.0.1",
                                  "192.168.1.1:8080", "93.184.216.34", "[fe80::1]", "0x7f.1"])
def test_an_ip_address_is_refused(host):
    with pytest.raises(PolicyError) as caught:
        catalogue(host, "https://www.caf.fr/")
    assert caught.value.codes == ["invalid_host_pattern"]


@pytest.mark.parametrize("host", ["localhost", "caf.localhost", "localhost:631",
                                  "caf.localhost:631", "localhost:8765", "caf.localhost:8766"])
def test_a_loopback_name_needs_a_port_that_is_not_the_terminals_own(host):
    with pytest.raises(PolicyError) as caught:
        catalogue(host, "http://caf.localhost:9000/")
    assert caught.value.codes[0] == "invalid_host_pattern"


def test_a_loopback_name_with_its_own_port_stands_in_for_a_site():
    policy = catalogue("caf.localhost:9000", "http://caf.localhost:9000/")
    allow = Allowlist(policy, internal_origins=["http://127.0.0.1:9100"])
    assert allow.decide("http://caf.localhost:9000/x").site_id == "s"
    assert not allow.decide("http://caf.localhost:631/admin").allowed   # CUPS
    assert not allow.decide("http://caf.localhost:9100/mediateur/").allowed


def test_the_portals_port_under_a_listed_loopback_name_is_never_a_site():
    """Whatever the portal's configured port, a site cannot reach it under another name."""
    policy = catalogue("caf.localhost:9100", "http://caf.localhost:9100/")
    allow = Allowlist(policy, internal_origins=["http://127.0.0.1:9100"])
    assert not allow.decide("http://caf.localhost:9100/mediateur/").allowed
    assert allow.decide("http://127.0.0.1:9100/accueil").reason.value == "internal"


def test_a_wildcard_on_the_states_own_suffix_loads_with_a_warning():
    policy = catalogue("*.gouv.fr")
    assert [w.code for w in policy.warnings] == ["broad_host_pattern"]
    assert policy.warnings[0].line == 10 and "gouv.fr" in policy.warnings[0].message


@pytest.mark.parametrize("host", ["*.caf.fr", "*.impots.gouv.fr", "caf.fr", "github.io",
                                  "*.me.github.io", "www.example.co.uk", "*.example.com.fr"])
def test_a_site_and_its_subdomains_are_fine(host):
    assert not catalogue(host).warnings


def test_the_shipped_catalogue_loads_without_warning():
    policy = load_policy(default_policy_path())
    assert len(policy.sites) == 19 and policy.warnings == ()
