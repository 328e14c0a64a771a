"""The register of places: created once, codes for registered places only, terminals named,
renamed and revoked with an audit trail."""

from __future__ import annotations

import re

import pytest

from hub.places import PlaceError, create_place, name_key
from tests.hub.conftest import Terminal
from tests.hub.test_staff import csrf, login

BASTIDE = {"name": "Centre social La Bastide", "pivot": "W332001234",
           "address": "12 rue Lucien Faure", "postcode": "33100", "commune": "Bordeaux",
           "neighbourhood": "Bastide - Benauge", "qpv_code": "QN03304M"}


def test_an_association_is_registered_once_whatever_the_spelling(client, db, staff):
    login(client)
    made = client.post("/places", data={**BASTIDE, "csrf_token": csrf(client, "/places")})
    assert made.status_code == 302
    again = client.post("/places", data={"name": "Centre Social la Bastide",
                                         "csrf_token": csrf(client, "/places")})
    assert again.status_code == 400
    assert "déjà enregistré" in again.get_data(as_text=True)
    same_siret = client.post("/places", data={"name": "Autre nom", "pivot": "W332001234",
                                              "csrf_token": csrf(client, "/places")})
    assert same_siret.status_code == 400
    rows = db.all("SELECT name, pivot, postcode, commune, neighbourhood, qpv_code FROM places")
    assert rows == [("Centre social La Bastide", "W332001234", "33100", "Bordeaux",
                     "Bastide - Benauge", "QN03304M")]
    page = client.get("/places").get_data(as_text=True)
    assert "Bastide - Benauge (QN03304M)" in page and "33100 Bordeaux" in page
    assert db.all("SELECT actor, action FROM audit") == [("financeur", "create_place")]


@pytest.mark.parametrize("change, message", [
    ({"name": " "}, "Indiquez le nom"), ({"pivot": "1234"}, "SIRET"),
    ({"postcode": "3310"}, "Code postal"), ({"qpv_code": "Bastide"}, "Code QPV"),
])
def test_a_wrong_field_is_explained_and_nothing_is_registered(db, change, message):
    with pytest.raises(PlaceError, match=message):
        create_place(db, "financeur", {**BASTIDE, **change})
    assert db.all("SELECT * FROM places") == []


def test_names_that_differ_only_by_case_accents_or_punctuation_are_one_place():
    assert name_key("Centre social La Bastide") == name_key("centre-social  LA BASTIDE")
    assert name_key("Maison de l'Été") == name_key("maison de l ete")
    assert name_key("Bastide") != name_key("Benauge")


def test_codes_are_made_only_for_a_registered_association(client, db, staff):
    login(client)
    refused = client.post("/terminals", data={"place_id": "nope",
                                              "csrf_token": csrf(client, "/terminals")})
    assert "enregistrez-la d&#39;abord" in refused.get_data(as_text=True)
    assert db.all("SELECT * FROM enrolment_codes") == []
    place = create_place(db, "financeur", BASTIDE)
    made = client.post("/terminals", data={"place_id": place.id,
                                           "csrf_token": csrf(client, "/terminals")})
    assert re.search(r"<code>[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}</code>",
                     made.get_data(as_text=True))
    assert db.all("SELECT association, place_id FROM enrolment_codes") == [
        ("Centre social La Bastide", place.id)]


def test_terminals_are_named_show_their_last_report_and_renames_are_audited(client, db, staff):
    first, second = Terminal("Bastide"), Terminal("Bastide")
    first.enrol(client, db)
    second.enrol(client, db)
    assert client.post("/api/reports", json=first.report()).status_code == 201
    db.execute("UPDATE reports SET received_at = '2026-03-31T22:30:00+00:00'")
    login(client)
    page = client.get("/terminals").get_data(as_text=True)
    assert '<th scope="row">Borne 1</th>' in page and '<th scope="row">Borne 2</th>' in page
    assert "01/04/2026 à 00 h 30" in page  # Paris time, not UTC
    answer = client.post(f"/terminals/{first.id}/rename", data={
        "name": "Accueil, rez-de-chaussée", "csrf_token": csrf(client, "/terminals")})
    assert answer.status_code == 302
    assert "Accueil, rez-de-chaussée" in client.get("/terminals").get_data(as_text=True)
    assert db.all("SELECT actor, action, target, detail FROM audit WHERE action = 'rename'") == [
        ("financeur", "rename", first.id, "Borne 1 -> Accueil, rez-de-chaussée")]


def test_the_register_counts_trusted_terminals_and_shows_each_ones_latest_report(client, db,
                                                                                staff):
    kept, revoked, other = Terminal("Bastide"), Terminal("Bastide"), Terminal("Grand Parc")
    for terminal in (kept, revoked, other):
        terminal.enrol(client, db)
    kept.send(client, "2026-02", 3)
    kept.send(client, "2026-03", 4)
    other.send(client, "2026-03", 5)
    for terminal_id, month, received in ((kept.id, "2026-02", "2026-03-01T08:00:00+00:00"),
                                         (kept.id, "2026-03", "2026-04-01T08:00:00+00:00"),
                                         (other.id, "2026-03", "2026-02-01T08:00:00+00:00")):
        db.execute("UPDATE reports SET received_at = ? WHERE terminal_id = ? AND month = ?",
                   (received, terminal_id, month))
    login(client)
    client.post(f"/terminals/{revoked.id}/revoke", data={"csrf_token": csrf(client, "/terminals")})
    places = client.get("/places").get_data(as_text=True)
    counts = re.findall(r">(Bastide|Grand Parc)</a></th>.*?<td>(\d+)</td></tr>", places)
    assert counts == [("Bastide", "1"), ("Grand Parc", "1")]
    terminals = client.get("/terminals").get_data(as_text=True)
    assert "01/04/2026 à 10 h 00" in terminals and "01/03/2026 à 09 h 00" not in terminals
    assert "01/02/2026 à 09 h 00" in terminals


def test_an_older_database_with_free_text_associations_is_adopted(tmp_path):
    """Rows from before the register point at one place per distinct name."""
    from hub import create_hub_app
    from hub.db import Database
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = Database(url)
    old.execute("CREATE TABLE terminals (terminal_id TEXT PRIMARY KEY, association TEXT NOT NULL,"
                " public_key TEXT NOT NULL, enrolled_at TEXT NOT NULL)")
    for index, name in enumerate(("Centre social La Bastide", "Centre Social la Bastide",
                                  "Grand Parc")):
        old.execute("INSERT INTO terminals VALUES (?, ?, 'k', '2026-01-01T00:00:00+00:00')",
                    (f"t{index}", name))
    old.close_all()
    app = create_hub_app(url)
    db = app.extensions["hub_db"]
    assert [row[0] for row in db.all("SELECT name FROM places ORDER BY name")] == [
        "Centre social La Bastide", "Grand Parc"]
    places = db.all("SELECT terminal_id, place_id FROM terminals ORDER BY terminal_id")
    assert places[0][1] == places[1][1] != places[2][1]
    db.close_all()


def test_control_and_bidi_characters_never_reach_the_register(db):
    place = create_place(db, "financeur", {"name": "Relais\u202e gnp.exe\x01 Nord"})
    assert place.name == "Relais gnp.exe Nord"
