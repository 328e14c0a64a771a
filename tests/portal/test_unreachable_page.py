"""The page a resident sees when a site does not answer: plain words, four ways on."""

from __future__ import annotations

import pytest


def test_page_says_it_plainly_with_retry_back_home_and_help(client):
    html = client.get("/injoignable?site=caf&cause=dns").get_data(as_text=True)
    assert "Ce site ne répond pas pour le moment" in html and "CAF" in html
    assert "La borne ne trouve pas ce site" in html
    for href in ('href="/injoignable/reessayer"', 'href="/injoignable/revenir"',
                 'href="/accueil"'):
        assert href in html
    assert 'action="/aide"' in html and "Demander de l" in html
    for word in ("ERR_", "routeur", "administrateur"):
        assert word not in html


@pytest.mark.parametrize(("cause", "text"), [
    ("refused", "en panne ou en maintenance"), ("reset", "en panne ou en maintenance"),
    ("timeout", "trop de temps"), ("tls", "pas sûre"), ("server", "de son côté"),
    ("<script>", "de son côté"),  # anything unknown: the generic server wording
])
def test_each_cause_has_its_own_plain_sentence(client, cause, text):
    assert text in client.get("/injoignable", query_string={"cause": cause}).get_data(
        as_text=True)


def test_unknown_site_is_not_echoed(client):
    html = client.get("/injoignable?site=<b>x</b>&cause=dns").get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;" not in html


def test_arabic_page_is_translated_and_rtl(client, session):
    session.set_language("ar")
    html = client.get("/injoignable?site=caf&cause=server").get_data(as_text=True)
    assert 'dir="rtl"' in html and "هذا الموقع لا يستجيب حاليًا" in html
    assert "ne répond pas" not in html


@pytest.mark.parametrize("path", ["/injoignable/reessayer", "/injoignable/revenir"])
def test_buttons_reached_without_the_kiosk_window_lead_to_the_tiles(client, path):
    response = client.get(path)
    assert response.status_code == 303 and response.headers["Location"].endswith("/accueil")
