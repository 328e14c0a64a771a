"""Which failed loads get the kiosk's "Ce site ne répond pas" page, and its addresses."""

from __future__ import annotations

import pytest

from launcher import error_pages

PORTAL = "http://127.0.0.1:8765"


@pytest.mark.parametrize(("domain", "code", "expected"), [
    ("ConnectionErrorDomain", -105, "dns"), ("ConnectionErrorDomain", -137, "dns"),
    ("ConnectionErrorDomain", -102, "refused"), ("ConnectionErrorDomain", -101, "reset"),
    ("HttpErrorDomain", -324, "reset"), ("ConnectionErrorDomain", -118, "timeout"),
    ("ConnectionErrorDomain", -7, "timeout"), ("CertificateErrorDomain", -202, "tls"),
    ("ConnectionErrorDomain", -201, "tls"), ("ConnectionErrorDomain", -107, "tls"),
    ("HttpStatusCodeDomain", 500, "server"), ("HttpStatusCodeDomain", 503, "server"),
])
def test_failures_a_resident_is_told_about(domain, code, expected):
    assert error_pages.cause(domain, code) == expected


@pytest.mark.parametrize(("domain", "code"), [
    ("NoErrorDomain", 0), ("HttpStatusCodeDomain", 404), ("HttpStatusCodeDomain", 200),
    ("ConnectionErrorDomain", -3),    # ABORTED: the resident or the kiosk stopped the load
    ("ConnectionErrorDomain", -20),   # BLOCKED_BY_CLIENT: the policy refused it (own page)
    ("ConnectionErrorDomain", -27),   # BLOCKED_BY_RESPONSE
])
def test_other_outcomes_keep_their_own_handling(domain, code):
    assert error_pages.cause(domain, code) is None


def test_a_download_is_never_a_failure():
    assert error_pages.cause("ConnectionErrorDomain", -102, is_download=True) is None


def test_page_address_names_the_site_and_cause_only():
    assert error_pages.page(PORTAL, "caf", "dns") == f"{PORTAL}/injoignable?cause=dns&site=caf"
    assert error_pages.page(PORTAL, None, "tls") == f"{PORTAL}/injoignable?cause=tls"


@pytest.mark.parametrize(("url", "expected"), [
    (f"{PORTAL}/injoignable/reessayer", "retry"), (f"{PORTAL}/injoignable/revenir", "back"),
    (f"{PORTAL}/injoignable", None), ("http://caf.localhost/injoignable/reessayer", None),
])
def test_buttons_carried_out_by_the_window(url, expected):
    assert error_pages.button(PORTAL, url) == expected
