"""A hub filled as the funder's programme officer finds it: three associations in the register,
four terminals, months of reports with a gap, a missing report and an unfinished month.
Used by the browser tests and to take the README's screenshots."""

from __future__ import annotations

from datetime import date

from flask import Flask

from hub import create_hub_app
from hub.auth import set_password
from hub.consolidate import shift
from hub.places import create_place
from tests.hub.conftest import PASSWORD, Terminal, figures

TODAY = date(2026, 4, 15)
PLACES = (
    {"name": "Centre social La Bastide", "pivot": "W332001234", "address": "12 rue Lucien Faure",
     "postcode": "33100", "commune": "Bordeaux", "neighbourhood": "Bastide - Benauge",
     "qpv_code": "QN03304M"},
    {"name": "Maison de quartier du Grand Parc", "pivot": "77567227200030",
     "address": "34 cours de Luze", "postcode": "33300", "commune": "Bordeaux",
     "neighbourhood": "Grand Parc", "qpv_code": "QN03305M"},
    {"name": "Espace numérique des Aubiers", "postcode": "33300", "commune": "Bordeaux",
     "neighbourhood": "Les Aubiers - Le Lac", "qpv_code": "QN03306M"},
)


def report_figures(sessions: int, seed: int) -> dict:
    data = figures(sessions)
    data["tile_thematic"] = {**data["tile_thematic"], "famille_scolarite": sessions // 2,
                             "social_sante": sessions // 3, "argent_impots": seed % 5}
    data["tile_site"] = {"caf": sessions // 2, "ameli": sessions // 3, "impots": seed % 5}
    data["language"] = {"fr": sessions - seed % 3, "ar": seed % 3}
    data["help_requested"] = seed % 4
    data["accompanied_unlock"] = seed % 2
    return data


def demo_hub(url: str) -> Flask:
    app = create_hub_app(url, {"HUB_TODAY": TODAY})
    db = app.extensions["hub_db"]
    set_password(db, "financeur", PASSWORD)
    client = app.test_client()
    places = [create_place(db, "financeur", fields) for fields in PLACES]
    plan = {  # terminal -> {month: sessions}; 2026-02 has no report at all
        (0, "Accueil"): {"2025-12": 301, "2026-01": 340, "2026-03": 372, "2026-04": 4},
        (0, "Salle informatique"): {"2025-12": 120, "2026-01": 133, "2026-03": 141},
        (1, "Borne 1"): {"2026-01": 88, "2026-03": 97},
        (2, "Borne 1"): {},  # enrolled, never reported: a missing report
    }
    for index, ((place_index, name), months) in enumerate(plan.items()):
        terminal = Terminal(places[place_index].name)
        terminal.enrol(client, db)
        db.execute("UPDATE terminals SET enrolled_at = '2025-11-20T10:00:00+00:00', name = ?"
                   " WHERE terminal_id = ?", (name, terminal.id))
        for month, sessions in months.items():
            generated = (f"{shift(month, 1)}-01T00:10:00+00:00"
                         if month < "2026-04" else "2026-04-03T10:00:00+00:00")
            terminal.send(client, month, sessions, generated_at=generated,
                          figures=report_figures(sessions, index + int(month[5:])))
            db.execute("UPDATE reports SET received_at = ? WHERE terminal_id = ? AND month = ?",
                       (generated, terminal.id, month))
    return app
