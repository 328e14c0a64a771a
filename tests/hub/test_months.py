"""Honest months: the current month is marked incomplete, the hub opens on the last complete one,
missing reports and months without any report are said, and bad months are refused."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from tests.hub.conftest import Terminal
from tests.hub.test_staff import login


def enrol_since(client, db, terminal: Terminal, when: str) -> Terminal:
    terminal.enrol(client, db)
    db.execute("UPDATE terminals SET enrolled_at = ? WHERE terminal_id = ?",
               (f"{when}T09:00:00+00:00", terminal.id))
    return terminal


def test_the_hub_opens_on_the_last_complete_month_and_marks_the_current_one(app, client, db,
                                                                             staff):
    app.config["HUB_TODAY"] = date(2026, 4, 15)
    bastide = enrol_since(client, db, Terminal("Bastide"), "2026-03-01")
    bastide.send(client, "2026-03", 372, generated_at="2026-04-01T00:05:00+00:00")
    # A plain push mid-month:
    bastide.send(client, "2026-04", 4, generated_at="2026-04-03T10:00:00+00:00")
    login(client)
    home = client.get("/").get_data(as_text=True)
    assert "<title>Indicateurs de mars 2026 - Hub des bornes</title>" in home
    assert "Mois en cours, incomplet" not in home
    assert "avril 2026 (en cours, incomplet)" in home  # the trend says it, too
    assert '<option value="2026-04" >avril 2026 (en cours, incomplet)</option>' in home
    april = client.get("/?month=2026-04").get_data(as_text=True)
    assert "Mois en cours, incomplet" in april
    lines = client.get("/export.csv?month=2026-04").data.decode("utf-8-sig").splitlines()
    header, row = lines[0].split(";"), lines[1].split(";")
    assert dict(zip(header, row, strict=True))["Mois complet"] == "non"
    march = client.get("/export.csv?month=2026-03").data.decode("utf-8-sig").splitlines()
    assert dict(zip(march[0].split(";"), march[1].split(";"), strict=True))["Mois complet"] \
        == "oui"


def test_a_report_sent_before_its_month_ended_stays_marked_partial(app, client, db, staff):
    app.config["HUB_TODAY"] = date(2026, 5, 10)
    bastide = enrol_since(client, db, Terminal("Bastide"), "2026-03-01")
    bastide.send(client, "2026-04", 40, generated_at="2026-04-20T10:00:00+00:00")
    login(client)
    page = client.get("/?month=2026-04").get_data(as_text=True)
    assert "Mois partiel" in page
    # Its final version, sent after the month ended, makes the month complete.
    bastide.send(client, "2026-04", 61, generated_at="2026-05-01T00:05:00+00:00")
    page = client.get("/?month=2026-04").get_data(as_text=True)
    assert "Mois partiel" not in page and "<td>61</td>" in page


def test_missing_reports_and_months_without_any_report_are_shown(app, client, db, staff):
    app.config["HUB_TODAY"] = date(2026, 4, 15)
    first = enrol_since(client, db, Terminal("Bastide"), "2026-01-05")
    second = enrol_since(client, db, Terminal("Bastide"), "2026-01-05")
    first.send(client, "2026-01", 10, generated_at="2026-02-01T00:05:00+00:00")
    second.send(client, "2026-01", 5, generated_at="2026-02-01T00:05:00+00:00")
    first.send(client, "2026-03", 7, generated_at="2026-04-01T00:05:00+00:00")
    login(client)
    home = client.get("/").get_data(as_text=True)
    # February had no report at all: it is in the trend, said as such, not drawn as zero.
    assert "février 2026</th><td><span class=\"missing\">aucun rapport</span>" in home
    assert "janvier 2026</th><td>15</td>" in home
    csv = client.get("/export.csv?month=2026-03").data.decode("utf-8-sig").splitlines()
    record = dict(zip(csv[0].split(";"), csv[1].split(";"), strict=True))
    assert (record["Bornes attendues"], record["Rapports reçus"],
            record["Rapports manquants"]) == ("2", "1", "1")
    february = client.get("/export.csv?month=2026-02").data.decode("utf-8-sig").splitlines()
    record = dict(zip(february[0].split(";"), february[1].split(";"), strict=True))
    assert record["Rapports manquants"] == "2"
    assert record["Sessions commencées"] == ""  # missing is not zero
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx?month=2026-02").data))
    values = list(sheet["Indicateurs"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert values[7] == 2 and values[8] is None


def test_a_month_that_does_not_exist_is_refused_in_french(client, staff, terminal):
    client.post("/api/reports", json=terminal.report())
    login(client)
    for path in ("/?month=2026-13", "/?month=26-03", "/export.xlsx?month=2026-00"):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert "Mois invalide" in answer.get_data(as_text=True)


def test_a_quarter_sums_its_months_and_says_when_it_is_unfinished(app, client, db, staff):
    app.config["HUB_TODAY"] = date(2026, 5, 10)
    bastide = enrol_since(client, db, Terminal("Bastide"), "2026-01-05")
    for month, sessions in (("2026-01", 10), ("2026-02", 20), ("2026-03", 30)):
        bastide.send(client, month, sessions,
                     generated_at=f"2026-{int(month[5:]) + 1:02d}-01T00:05:00+00:00")
    bastide.send(client, "2026-04", 40, generated_at="2026-05-01T00:05:00+00:00")
    login(client)
    first = client.get("/?month=2026-T1").get_data(as_text=True)
    assert "<title>Indicateurs de 1er trimestre 2026 - Hub des bornes</title>" in first
    assert '<th scope="row">Bastide</th><td>60</td>' in first  # sessions per association
    assert re.search(r'<th scope="row">Quartier non renseigné</th><td>1</td><td>60</td>', first)
    assert "Mois en cours, incomplet" not in first
    csv = client.get("/export.csv?month=2026-T1").data.decode("utf-8-sig").splitlines()
    record = dict(zip(csv[0].split(";"), csv[1].split(";"), strict=True))
    assert (record["Mois"], record["Mois complet"], record["Sessions commencées"],
            record["Bornes attendues"], record["Rapports reçus"]) == (
        "2026-T1", "oui", "60", "3", "3")
    second = client.get("/?month=2026-T2").get_data(as_text=True)
    assert "Mois en cours, incomplet" in second
    assert client.get("/?month=2026-T5").status_code == 400
