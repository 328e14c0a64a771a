"""Every policy engine problem is told in a specific French sentence."""

from __future__ import annotations

import pytest

from policies import HostPatternError, PolicyIssue, parse_host_pattern
from portal import create_app
from portal.mediator.french import host_error_text, issue_text

CODES = ["bad_signature", "missing", "no_history", "toml_syntax", "unreadable", "duplicate_id",
         "insecure_url", "invalid_host_pattern", "invalid_id", "invalid_url", "missing_key",
         "out_of_range", "unknown_category", "unknown_key", "unsupported_version",
         "url_outside_hosts", "wrong_type"]


@pytest.fixture(scope="module")
def ctx():
    app = create_app({"TESTING": True})
    with app.test_request_context("/mediateur/"):
        yield


@pytest.mark.parametrize("code", CODES)
def test_every_issue_code_has_its_own_french_sentence(ctx, code):
    text = issue_text(PolicyIssue(code, "'x' must be between 1 and 10, found 99",
                                  field="site.hosts", line=3))
    assert text and "(" + code + ")" not in text and "must" not in text


@pytest.mark.parametrize("host", ["https://caf.fr", "caf .fr", "ca*f.fr", "*.fr", "*.127.0.0.1",
                                  "caf.fr/../x", "caf.fr:99999", "caf", "[::1", "0x7f.1"])
def test_every_host_mistake_gets_a_specific_reason(ctx, host):
    with pytest.raises(HostPatternError) as caught:
        parse_host_pattern(host)
    text = host_error_text(str(caught.value))
    assert text.startswith("Adresse refusée : ") \
        and "ce n'est pas un nom de site valide" not in text, str(caught.value)


def test_out_of_range_keeps_the_limits(ctx):
    issue = PolicyIssue("out_of_range", "'max_minutes' must be between 0.1 and 480, found 900",
                        field="session.max_minutes")
    assert issue_text(issue) == "La valeur doit être comprise entre 0.1 et 480."
