"""The fast parser path gives exactly what ada's public API gives."""

from __future__ import annotations

import ada_url
import pytest

from policies.urlparse import parse_web_url
from tests.policies.test_decide import ALLOWED, REFUSED


@pytest.mark.parametrize("url", [u for u, _ in ALLOWED + REFUSED])
def test_fast_parser_agrees_with_the_public_api(url):
    try:
        expected = ada_url.parse_url(url, ("protocol", "hostname", "port", "pathname"))
    except ValueError:
        with pytest.raises(ValueError):
            parse_web_url(url)
        return
    assert parse_web_url(url) == (expected["protocol"], expected["hostname"], expected["port"],
                                  expected["pathname"])


@pytest.mark.parametrize("bad", [None, 5, "\ud800", ""])
def test_non_text_or_unencodable_input_is_invalid(bad):
    with pytest.raises(ValueError):
        parse_web_url(bad)
