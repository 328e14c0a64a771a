"""The views the monthly meeting needs, on the demo hub (SQLite and PostgreSQL): one
association against last month and last year, two side by side, neighbourhoods."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.hub.demo import demo_hub
from tests.hub.test_staff import login


@pytest.fixture
def demo(database_url):
    app = demo_hub(database_url)
    client = app.test_client()
    login(client)
    db = app.extensions["hub_db"]
    ids = {name: place_id for place_id, name in db.all("SELECT id, name FROM places")}
    yield client, ids
    db.close_all()


def cell(page: str, label: str) -> str:
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(.*?)</td>', page)
    assert match, label
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_one_association_this_month_against_last_month_and_last_year(demo):
    client, ids = demo
    page = unescape(client.get(f"/association/{ids['Centre social La Bastide']}")
                    .get_data(as_text=True))
    assert "<title>Centre social La Bastide, mars 2026 - Hub des bornes</title>" in page
    assert cell(page, "Sessions") == "513"  # 372 + 141, the last complete month
    assert cell(page, "Mois précédent (février 2026)") == "aucun rapport"
    assert cell(page, "Même mois l'an dernier (mars 2025)") == "aucun rapport"
    assert cell(page, "Trimestre jusqu'à mars 2026") == "986 (2 mois sur 3 avec rapport)"
    assert cell(page, "Rapports manquants") == "0 sur 2 borne(s)"
    assert "Sessions ≠ personnes" in page
    january = unescape(client.get(f"/association/{ids['Centre social La Bastide']}"
                                  "?month=2026-01").get_data(as_text=True))
    assert cell(january, "Mois précédent (décembre 2025)") == "421 (évolution : +52)"
    april = unescape(client.get(f"/association/{ids['Centre social La Bastide']}"
                                "?month=2026-04").get_data(as_text=True))
    assert "Mois en cours, incomplet" in april
    assert client.get("/association/nope").status_code == 404


def test_two_associations_and_two_neighbourhoods_side_by_side(demo):
    client, ids = demo
    page = unescape(client.get(
        f"/compare?a=p:{ids['Centre social La Bastide']}"
        f"&b=p:{ids['Maison de quartier du Grand Parc']}&month=2026-03").get_data(as_text=True))
    assert re.search(r'<th scope="row">Sessions</th><td>513</td><td>97</td>', page)
    assert re.search(r"<th scope=\"row\">Rapports manquants</th><td>0 sur 2</td>"
                     r"<td>0 sur 1</td>", page)
    quartiers = unescape(client.get("/compare?a=q:Grand Parc&b=q:Les Aubiers - Le Lac"
                                    "&month=2026-03").get_data(as_text=True))
    assert "Quartier Grand Parc" in quartiers and "Quartier Les Aubiers - Le Lac" in quartiers
    assert re.search(r'<th scope="row">Sessions</th><td>97</td><td><span class="missing">'
                     r"aucun rapport</span></td>", quartiers)
    assert client.get("/compare?a=p:nope").status_code == 400


def test_the_table_page_has_a_line_per_neighbourhood(demo):
    client, _ids = demo
    page = unescape(client.get("/").get_data(as_text=True))
    assert re.search(r'<th scope="row">Bastide - Benauge</th><td>1</td><td>513</td>', page)
    assert re.search(r'<th scope="row">Les Aubiers - Le Lac</th><td>1</td><td><span '
                     r'class="missing">aucun rapport</span></td>', page)


def autonomy_cells(page: str) -> dict[str, str]:
    section = page[page.index('id="autonomy-h"'):]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', section))


def test_autonomy_trend_is_the_share_of_sessions_done_alone(database_url):
    from tests.hub.conftest import Terminal, figures

    app = demo_hub(database_url)
    client, db = app.test_client(), app.extensions["hub_db"]
    login(client)
    try:
        place = db.one("SELECT id FROM places WHERE name = ?", ("Espace numérique des Aubiers",))[0]
        terminal = Terminal("Espace numérique des Aubiers")
        terminal.enrol(client, db)
        for month, alone, helped in (("2026-01", 30, 20), ("2026-03", 1, 1)):
            terminal.send(client, month, alone + helped, figures={
                **figures(alone + helped),
                "autonomy": {"alone": alone, "accompanied": helped, "unknown": 0}})
        page = unescape(client.get(f"/association/{place}").get_data(as_text=True))
        cells = autonomy_cells(page)
        assert cells["janvier 2026"] == "60 %"
        assert cells["mars 2026"] == "moins de 3 sessions"  # 1 and 1: it would point at someone
        assert cells["février 2026"] == "aucun rapport"
        bastide = db.one("SELECT id FROM places WHERE name = ?", ("Centre social La Bastide",))[0]
        older = autonomy_cells(unescape(client.get(f"/association/{bastide}")
                                        .get_data(as_text=True)))
        assert older["mars 2026"] == "non mesurée"  # terminals that do not count it yet
    finally:
        db.close_all()
