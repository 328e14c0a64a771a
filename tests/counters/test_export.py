"""The monthly export: French spreadsheet columns, a column per thematic, signed JSON."""

from __future__ import annotations

import base64
import io
import json
import stat
import uuid
from datetime import datetime

from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from openpyxl import load_workbook

from core.events import Event
from core.vocabulary import THEMATIC_LABELS
from kiosk.cli import cli
from kiosk.export import export_bytes
from kiosk.identity import public_key_b64, terminal_key


def fill(store) -> None:
    day = datetime(2026, 3, 10, 14, 30)
    store.record(Event("session_started"), when=day)
    store.record(Event("tile_opened", site_id="caf"), when=day)
    store.record(Event("tile_opened", site_id="impots"), when=day)
    store.record(Event("download", detail="accepted"), when=day)
    store.record(Event("session_ended", detail="user"), when=datetime(2026, 3, 10, 15, 45))
    store.record(Event("session_started"), when=datetime(2026, 4, 1, 10))  # another month


def test_csv_is_utf8_with_bom_semicolons_and_french_columns(state, store):
    fill(store)
    data = export_bytes(state, store, "2026-03", "csv", association="Centre social Bastide")
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = data[3:].decode("utf-8").splitlines()
    names, values = header.split(";"), row.split(";")
    record = dict(zip(names, values, strict=True))
    assert record["Association"] == "Centre social Bastide"
    assert record["Mois"] == "2026-03"
    assert record["Sessions commencées"] == "1"
    assert record["Fin de session : Terminée par la personne"] == "1"
    assert record["Durée : Plus de 60 minutes"] == "1"
    assert record["Début de session : 14 h à 17 h"] == "1"
    assert record["Thématique : Famille - Scolarité"] == "1"
    assert record["Thématique : Argent - Impôts"] == "1"
    assert record["Téléchargements acceptés"] == "1"
    assert record["Site : CAF"] == "1" and record["Site : impots.gouv.fr"] == "1"
    assert record["Site : France Travail"] == "0"  # every catalogue site, even at zero
    assert record["Langue : français"] == "1"
    # Only the thematics the catalogue uses (plus "Autre"): none always-zero by construction.
    shown = {label for label in THEMATIC_LABELS.values() if f"Thématique : {label}" in names}
    assert "Thématique : Courriel" not in names and "Santé" not in shown
    assert {"Famille - Scolarité", "Social - Santé", "Travail - Formation - Entreprise",
            "Autre"} <= shown


def test_comma_variant_uses_commas(state, store):
    fill(store)
    data = export_bytes(state, store, "2026-03", "csv-comma", association="A")
    header = data[3:].decode().splitlines()[0]
    assert header.startswith("Association,Borne,Mois,Sessions commencées,")


def test_xlsx_has_the_same_columns_and_numbers(state, store):
    fill(store)
    sheet = load_workbook(io.BytesIO(export_bytes(state, store, "2026-03", "xlsx", "A"))).active
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    record = dict(zip(header, values, strict=True))
    assert sheet.title == "Indicateurs"
    assert record["Sessions commencées"] == 1
    assert record["Thématique : Famille - Scolarité"] == 1


def test_json_is_signed_by_the_terminal_key_and_carries_a_random_terminal_id(state, store):
    fill(store)
    envelope = json.loads(export_bytes(state, store, "2026-03", "json", "Centre social"))
    report = json.loads(envelope["payload"])
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64(terminal_key(state))))
    key.verify(base64.b64decode(envelope["signature"]), envelope["payload"].encode())
    assert report["schema_version"] == 1
    assert report["association"] == "Centre social"
    assert report["month"] == "2026-03"
    assert uuid.UUID(report["terminal_id"]).version == 4
    assert (state / "terminal_id").read_text().strip() == report["terminal_id"]
    assert report["figures"]["sessions_started"] == 1
    assert report["figures"]["tile_thematic"]["famille_scolarite"] == 1
    assert stat.S_IMODE((state / "keys" / "terminal.key").stat().st_mode) == 0o600
    again = json.loads(json.loads(export_bytes(state, store, "2026-03", "json", "C"))["payload"])
    assert again["terminal_id"] == report["terminal_id"]
    assert again["version"] > report["version"]


def test_association_is_read_from_config(state, store):
    (state / "config.toml").write_text('association_name = "Maison de quartier"\n')
    fill(store)
    data = export_bytes(state, store, "2026-03", "csv")
    assert "Maison de quartier" in data.decode("utf-8-sig")


def test_cli_export_writes_the_requested_file(state, store, tmp_path):
    fill(store)
    out = tmp_path / "mars.xlsx"
    result = CliRunner().invoke(cli, ["stats", "export", "--month", "2026-03", "--format", "xlsx",
                                      "--state-dir", str(state), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active["A1"].value == "Association"


def test_cli_refuses_a_malformed_month_clearly(state, store):
    result = CliRunner().invoke(cli, ["stats", "export", "--month", "03/2026",
                                      "--state-dir", str(state)])
    assert result.exit_code == 2
    assert "month must look like 2026-03" in result.output


def test_cli_says_when_there_are_no_counters(tmp_path):
    result = CliRunner().invoke(cli, ["stats", "export", "--month", "2026-03",
                                      "--state-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no counters" in result.output


def test_text_that_a_spreadsheet_would_run_is_quoted(state, store):
    fill(store)
    data = export_bytes(state, store, "2026-03", "csv", association="=HYPERLINK(\"x\")")
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    data = export_bytes(state, store, "2026-03", "xlsx", "@SUM(1)")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'@SUM(1)"


def test_cli_show_and_hosts_print_the_month_for_mediators(state, store):
    from datetime import date as day_type
    fill(store)
    today = datetime.combine(day_type.today(), datetime.min.time())
    blocked = Event("blocked_host", site_id="caf", detail="validate.perfdrive.com")
    for _ in range(3):
        store.record(Event("session_started"), when=today)
        store.record(blocked, when=today)
    shown = CliRunner().invoke(cli, ["stats", "show", "--month", "2026-03",
                                     "--state-dir", str(state)])
    assert shown.exit_code == 0, shown.output
    assert "Month 2026-03: 1 sessions" in shown.output
    assert "famille_scolarite 1" in shown.output
    hosts = CliRunner().invoke(cli, ["stats", "hosts", "--state-dir", str(state)])
    assert "     3  validate.perfdrive.com" in hosts.output


def test_language_tags_are_reduced_to_a_listed_language(store):
    for tag in ("fr-FR", "AR", "xx-YY", "pt_BR"):
        store.record(Event("session_started"), when=datetime(2026, 3, 1, 10))
        store.record(Event("language", detail=tag), when=datetime(2026, 3, 1, 10))
        store.record(Event("session_ended", detail="user"), when=datetime(2026, 3, 1, 10))
    totals = store.month_totals("2026-03")
    assert totals[("language", "fr")] == 1 and totals[("language", "ar")] == 1
    assert totals[("language", "pt")] == 1 and totals[("language", "other")] == 1


def test_the_terminal_exports_an_ods_file_too(state, store):
    import zipfile
    from xml.etree import ElementTree
    fill(store)
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(state, store, "2026-03", "ods", "A")))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    content = ElementTree.fromstring(archive.read("content.xml"))
    cells = [p.text for p in content.iter(
        "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p")]
    assert cells[:3] == ["Association", "Borne", "Mois"] and "Définitions" not in cells[:3]


def answered(store, outcomes: dict[str, int], day=datetime(2026, 3, 10, 11)) -> None:
    """Sessions ending with these outcome answers (value -> how many), all alone."""
    for value, count in outcomes.items():
        for _ in range(count):
            store.record(Event("session_started"), when=day)
            store.record(Event("answer", detail=f"outcome:{value}"), when=day)
            store.record(Event("session_ended", detail="user"), when=day)


def csv_record(state, store) -> dict[str, str]:
    header, row = export_bytes(state, store, "2026-03", "csv")[3:].decode().splitlines()
    return dict(zip(header.split(";"), row.split(";"), strict=True))


def test_answer_and_autonomy_counts_from_1_to_2_read_below_3_at_the_edges(state, store):
    answered(store, {"alone": 3, "helped": 2, "not_yet": 1})
    record = csv_record(state, store)
    assert record["Démarche faite ? : Oui, seul(e)"] == "3"          # at the threshold: shown
    assert record["Démarche faite ? : Oui, avec de l'aide"] == "< 3"  # 2
    assert record["Démarche faite ? : Non, pas encore"] == "< 3"      # 1
    assert record["Démarche faite ? : Sans réponse"] == "0"           # 0 points at nobody
    assert record["Autonomie (sessions) : Seul(e)"] == "6"
    assert record["Âge : 60 ans et plus"] == "0"
    assert record["Sessions commencées"] == "6"  # the activity counts are never suppressed


def test_the_threshold_is_a_setting_and_xlsx_and_json_follow(state, store):
    (state / "config.toml").write_text("small_count_threshold = 5\n")
    answered(store, {"alone": 4, "helped": 5})
    record = csv_record(state, store)
    assert record["Démarche faite ? : Oui, seul(e)"] == "< 5"
    assert record["Démarche faite ? : Oui, avec de l'aide"] == "5"
    sheet = load_workbook(io.BytesIO(export_bytes(state, store, "2026-03", "xlsx"))).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["Démarche faite ? : Oui, seul(e)"] == "< 5"
    # The signed JSON goes to the hub, which publishes only after the same suppression (and
    # may add associations up first): it carries the real counts.
    envelope = json.loads(export_bytes(state, store, "2026-03", "json"))
    figures = json.loads(envelope["payload"])["figures"]
    assert figures["answer_outcome"] == {"alone": 4, "helped": 5, "not_yet": 0, "no_answer": 0}
    assert figures["autonomy"] == {"alone": 9, "accompanied": 0, "unknown": 0}
