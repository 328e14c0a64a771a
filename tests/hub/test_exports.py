"""Exports that stack month after month, read back as a spreadsheet program would."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.etree import ElementTree

from openpyxl import load_workbook

from hub.consolidate import shift
from tests.hub.conftest import Terminal, figures
from tests.hub.test_staff import login

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def push(client, terminal: Terminal, month: str, sessions: int, **figure_changes) -> None:
    """A complete month's report, sent early the month after."""
    terminal.send(client, month, sessions, figures={**figures(sessions), **figure_changes},
                  generated_at=f"{shift(month, 1)}-28T23:59:59+00:00")


def enrolled(client, db, *associations: str) -> list[Terminal]:
    """New terminals of these associations, enrolled with the hub (May 2026 is "today")."""
    client.application.config["HUB_TODAY"] = date(2026, 5, 2)
    terminals = [Terminal(name) for name in associations]
    for terminal in terminals:
        terminal.enrol(client, db)
    return terminals


def bastide_march_ods(app, client, db):
    """The ODS export of a month with one terminal's report (5 sessions), as staff download it."""
    app.config["HUB_TODAY"] = date(2026, 5, 2)
    bastide = Terminal("Bastide")
    bastide.enrol(client, db)
    push(client, bastide, "2026-03", 5)
    login(client)
    return client.get("/export.ods?month=2026-03")


def test_months_with_different_sites_and_languages_have_the_same_columns(app, client, db,
                                                                         staff):
    bastide, parc = enrolled(client, db, "Bastide", "Grand Parc")
    push(client, bastide, "2026-03", 5, tile_site={"cheque_energie": 5},
         language={"ps": 2, "fr": 3})
    push(client, parc, "2026-04", 4, tile_site={"caf": 1, "ameli": 3}, language={"fr": 4})
    login(client)
    march = client.get("/export.csv?month=2026-03").data.decode("utf-8-sig").splitlines()
    april = client.get("/export.csv?month=2026-04").data.decode("utf-8-sig").splitlines()
    march_header, april_header = march[0].split(";"), april[0].split(";")
    # Both months list every catalogue site and the resident languages, in the same order;
    # a language only one month had comes after them.
    assert march_header[:-1] == april_header
    assert march_header[-1] == "Langue : pachto"
    assert "Site : Chèque énergie" in april_header and "Site : cheque_energie" not in march_header
    assert april_header.index("Site : ameli (Assurance Maladie)") < april_header.index(
        "Site : CAF")  # French names, alphabetical
    assert [h for h in april_header if h.startswith("Langue")][:3] == [
        "Langue : français", "Langue : anglais", "Langue : arabe"]


def test_the_workbook_has_a_totals_row_and_a_definitions_sheet(app, client, db, staff):
    bastide, parc = enrolled(client, db, "Bastide", "Grand Parc")
    push(client, bastide, "2026-03", 5)
    push(client, parc, "2026-03", 7)
    login(client)
    book = load_workbook(io.BytesIO(client.get("/export.xlsx?month=2026-03").data))
    assert book.sheetnames == ["Indicateurs", "Définitions"]
    rows = list(book["Indicateurs"].iter_rows(values_only=True))
    header = rows[0]
    sessions = header.index("Sessions commencées")
    assert [row[0] for row in rows[1:]] == ["Bastide", "Grand Parc", "Total"]
    assert rows[-1][sessions] == 12 and rows[-1][header.index("Rapports reçus")] == 2
    definitions = dict(list(book["Définitions"].iter_rows(values_only=True))[1:])
    assert "Sessions ≠ personnes" in definitions["Sessions commencées"]
    assert "ce n'est pas zéro" in definitions["Rapports manquants"]


def test_an_empty_month_still_has_its_header(client, staff):
    login(client)
    csv = client.get("/export.csv?month=2026-03").data.decode("utf-8-sig").splitlines()
    assert len(csv) == 1 and csv[0].startswith("Association;Quartier;Commune;Mois;")
    assert "Site : CAF" in csv[0]
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx?month=2026-03").data))[
        "Indicateurs"]
    assert sheet.max_row == 1 and sheet["A1"].value == "Association"


def test_the_ods_file_holds_the_same_table(app, client, db, staff):
    answer = bastide_march_ods(app, client, db)
    assert answer.headers["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert "indicateurs-2026-03.ods" in answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    content = ElementTree.fromstring(archive.read("content.xml"))
    tables = content.findall(f".//{TABLE}table")
    assert [t.get(f"{TABLE}name") for t in tables] == ["Indicateurs", "Définitions"]
    rows = [[cell.findtext(f"{TEXT}p") or "" for cell in row.findall(f"{TABLE}table-cell")]
            for row in tables[0].findall(f"{TABLE}table-row")]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Association"] == "Bastide" and record["Sessions commencées"] == "5"
    assert rows[-1][0] == "Total"


def test_the_two_csv_files_have_distinct_names_and_one_charset(client, staff):
    login(client)
    semicolon = client.get("/export.csv?month=2026-03")
    comma = client.get("/export.csv?month=2026-03&sep=comma")
    assert semicolon.headers["Content-Disposition"] != comma.headers["Content-Disposition"]
    assert "virgule" in comma.headers["Content-Disposition"]
    for answer in (semicolon, comma):
        assert answer.headers["Content-Type"].count("charset") == 1
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_ods_file_opens_with_an_opendocument_library(app, client, db, staff):
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    document = load(io.BytesIO(bastide_march_ods(app, client, db).data))
    sheets = document.spreadsheet.getElementsByType(Table)
    assert [sheet.getAttribute("name") for sheet in sheets] == ["Indicateurs", "Définitions"]
    rows = sheets[0].getElementsByType(TableRow)
    header = [str(cell) for cell in rows[0].getElementsByType(TableCell)]
    data = rows[1].getElementsByType(TableCell)
    sessions = data[header.index("Sessions commencées")]
    assert sessions.getAttribute("valuetype") == "float" and sessions.getAttribute("value") == "5"


def test_the_hub_table_shows_small_answer_counts_as_below_3_after_summing(app, client, db,
                                                                         staff):
    """Two terminals of one association: 1 + 1 "not yet" reads "< 3"; 2 + 1 "alone" reads 3."""
    first, second = enrolled(client, db, "Bastide", "Bastide")
    answers = {"alone": 2, "helped": 0, "not_yet": 1, "no_answer": 0}
    push(client, first, "2026-03", 3, answer_outcome=answers,
         autonomy={"alone": 3, "accompanied": 0, "unknown": 0})
    push(client, second, "2026-03", 2, answer_outcome={**answers, "alone": 1},
         autonomy={"alone": 1, "accompanied": 1, "unknown": 0})
    login(client)
    header, *rows = client.get("/export.csv?month=2026-03").data.decode(
        "utf-8-sig").splitlines()
    (row,) = [dict(zip(header.split(";"), r.split(";"), strict=True)) for r in rows
              if "Bastide" in r]
    assert row["Démarche faite ? : Oui, seul(e)"] == "3"
    assert row["Démarche faite ? : Non, pas encore"] == "< 3"
    assert row["Démarche faite ? : Oui, avec de l'aide"] == "0"
    assert row["Autonomie (sessions) : Seul(e)"] == "4"
    assert row["Autonomie (sessions) : Accompagnée par un médiateur"] == "< 3"
