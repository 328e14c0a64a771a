from __future__ import annotations

import json

import pytest

from policies import Allowlist, default_policy_path, load_policy, parse_policy

SMALL_POLICY = """
version = 1

[session]
strict_resources = {strict}

[[category]]
id = "famille_scolarite"
label = "Famille"

[[site]]
id = "caf"
name = "CAF"
category = "famille_scolarite"
url = "https://www.caf.fr/"
hosts = ["caf.fr", "*.caf.fr"]

[[site]]
id = "aide"
name = "Aide"
category = "famille_scolarite"
url = "https://example.org/aide"
hosts = ["example.org/aide", "ports.example.org:8443", "test.localhost:5000"]

[[shared]]
id = "franceconnect"
name = "FranceConnect"
hosts = ["franceconnect.gouv.fr", "*.franceconnect.gouv.fr"]
"""

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
    return Allowlist(parse_policy(SMALL_POLICY.format(strict="false")),
                     internal_origins=["http://127.0.0.1:8765"])


@pytest.fixture(scope="session")
def strict_allowlist():
    return Allowlist(parse_policy(SMALL_POLICY.format(strict="true")))
