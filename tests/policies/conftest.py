from __future__ import annotations

import json

import pytest

from policies import Allowlist, default_policy_path, load_policy, parse_policy
from tests.policytext import FRANCECONNECT, policy_toml, site


def small_policy(strict: bool) -> str:
    """CAF, a path-limited "aide" site with ports, and FranceConnect."""
    return policy_toml(
        site("caf", "CAF", "https://www.caf.fr/", ["caf.fr", "*.caf.fr"]),
        site("aide", "Aide", "https://example.org/aide",
             ["example.org/aide", "ports.example.org:8443", "test.localhost:5000"]),
        shared=(FRANCECONNECT,), strict=strict)


# One category and one site; its `hosts` line is line 10 (tests check the line an issue names).
ONE_SITE_POLICY = """version = 1
[[category]]
id = "c"
label = "C"
[[site]]
id = "s"
name = "S"
category = "c"
url = "{url}"
hosts = {hosts}
"""


def one_site_policy(hosts: list[str], url: str) -> str:
    """A catalogue listing one site `s` at `url` with these host patterns."""
    return ONE_SITE_POLICY.format(url=url, hosts=json.dumps(hosts))


@pytest.fixture(scope="session")
def default_policy():
    return load_policy(default_policy_path())


@pytest.fixture(scope="session")
def allowlist():
    return Allowlist(parse_policy(small_policy(strict=False)),
                     internal_origins=["http://127.0.0.1:8765"])


@pytest.fixture(scope="session")
def strict_allowlist():
    return Allowlist(parse_policy(small_policy(strict=True)))
