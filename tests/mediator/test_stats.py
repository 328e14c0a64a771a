"""The statistics page: charts with tables from real counters, exports, and the funder's hub."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.events import Event
from kiosk.counters import CounterStore
from kiosk.identity import terminal_key
from kiosk.portal_wiring import mediator_config
from policies import default_policy_path, load_policy
from portal import create_app

from .conftest import PASSWORD, login, post

MONTH = "2026-03"
SCRIPT = "<script>alert(1)</script>"
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")


def fill(store: CounterStore) -> None:
    """Three sessions in March 2026 (two on the 3rd, one on the 17th), as the supervisor sends."""
    sessions = [(datetime(2026, 3, 3, 9, 30), 25, "user", ["caf", "ameli"]),
                (datetime(2026, 3, 3, 15, 0), 5, "idle", ["caf"]),
                (datetime(2026, 3, 17, 18, 0), 70, "time_limit", ["site-inconnu"])]
    for start, minutes, reason, sites in sessions:
        store.record(Event("session_started"), when=start)
        for site in sites:
            store.record(Event("tile_opened", site_id=site), when=start)
        store.record(Event("help_requested"), when=start)
        store.record(Event("session_ended", detail=reason), when=start + timedelta(minutes=minutes))


@pytest.fixture
def counters(state: Path):
    store = CounterStore(state, policy=load_policy(default_policy_path()))
    fill(store)
    yield store
    store.close()


@pytest.fixture
def stats_client(state: Path, tmp_path: Path, clock, counters):
    app = create_app({"TESTING": True, **mediator_config(state, counters=counters),
                      "PORTAL_SECRET": "test", "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs"),
                      "AUTH_CLOCK": clock})
    client = app.test_client()
    assert login(client).status_code == 303
    return client


def page_of(client, path: str = f"/mediateur/statistiques?mois={MONTH}", status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def row(page: str, label: str) -> int:
    """The count in the table row headed by `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(\d+)</td>', page)
    assert match, f"no table row for {label!r}"
    return int(match.group(1))


def section(page: str, chart_id: str) -> str:
    start = page.index(f'id="{chart_id}"')
    return page[start:page.index("</section>", start)]


# -- access and the page ---------------------------------------------------------------------


def attachment_name(response) -> str:
    """The file name of an attachment, read as a browser reads the header (RFC 6266)."""
    from werkzeug.http import parse_options_header

    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert kind == "attachment"
    return options["filename"]

def test_statistics_and_exports_need_the_mediator_login(client):
    for path in ("/mediateur/statistiques",
                 f"/mediateur/statistiques/export?mois={MONTH}&format=csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/mediateur/connexion" in response.headers["Location"]


def test_every_series_is_an_svg_chart_with_an_accessible_table_beside_it(stats_client):
    page = page_of(stats_client)
    assert "<h1>Statistiques de mars 2026</h1>" in page
    for chart_id in ("jours", "thematiques", "sites", "durees", "heures", "fins"):
        part = section(page, chart_id)
        assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in part, chart_id
        assert f'aria-labelledby="graphique-{chart_id}-title"' in part
        assert "<caption>" in part and '<th scope="col">' in part and '<th scope="row">' in part


def test_the_tables_hold_the_recorded_counts_with_french_labels(stats_client):
    page = page_of(stats_client)
    days = section(page, "jours")
    assert row(days, "3 mars") == 2 and row(days, "17 mars") == 1 and row(days, "4 mars") == 0
    assert days.count('<th scope="row">') == 31  # every day of the month, zero included
    themes = section(page, "thematiques")
    assert row(themes, "Famille - Scolarité") == 2 and row(themes, "Social - Santé") == 1
    assert row(themes, "Autre") == 1  # a site outside the catalogue: its thematic is unknown
    sites = section(page, "sites")
    assert row(sites, "CAF") == 2 and row(sites, "ameli (Assurance Maladie)") == 1
    assert row(sites, "Autre") == 1 and "site-inconnu" not in page
    durations = section(page, "durees")
    assert row(durations, "Moins de 10 minutes") == 1 and row(durations, "10 à 30 minutes") == 1
    assert row(durations, "Plus de 60 minutes") == 1 and row(durations, "30 à 60 minutes") == 0
    hours = section(page, "heures")
    assert row(hours, "9 h à 12 h") == 1 and row(hours, "14 h à 17 h") == 1
    assert row(hours, "Après 17 h") == 1
    ends = section(page, "fins")
    assert row(ends, "Terminée par la personne") == 1 and row(ends, "Inactivité") == 1
    assert row(ends, "Durée maximale atteinte") == 1 and row(ends, "Terminée par le médiateur") == 0
    assert row(page, "Sessions commencées") == 3 and row(page, "Demandes d&#39;aide") == 3
    for key in ("famille_scolarite", "time_limit", "gt60", "after_17", "idle<"):
        assert key not in page  # keys never leak as labels


def test_the_chart_draws_the_same_numbers_as_its_table(stats_client):
    ends = section(page_of(stats_client), "fins")
    svg = ends[ends.index("<svg"):ends.index("</svg>")]
    assert re.findall(r'font-size="13">(\d+)</text>', svg) == ["1", "1", "1", "0", "0"]
    assert "Terminée par la personne" in svg


def test_unknown_keys_get_the_label_autre(app):
    from portal.mediator.stats_series import END_LABELS, label
    with app.test_request_context("/mediateur/statistiques"):
        assert label(END_LABELS, "idle") == "Inactivité"
        assert label(END_LABELS, "never_seen") == "Autre"


def test_an_empty_month_says_nothing_was_counted(stats_client):
    page = page_of(stats_client, "/mediateur/statistiques?mois=2025-01")
    assert "Statistiques de janvier 2025" in page
    assert page.count("Rien de compté ce mois-ci.") == 10 and "<svg xmlns" not in page
    assert row(page, "Sessions commencées") == 0


def test_default_month_is_this_month_with_links_to_previous_ones(stats_client):
    from portal.mediator.stats_series import MONTHS, shift
    today = date.today()
    this = today.strftime("%Y-%m")
    page = page_of(stats_client, "/mediateur/statistiques")
    assert f"Statistiques de {MONTHS[today.month - 1]} {today.year}" in page
    assert f'href="/mediateur/statistiques?mois={shift(this, -1)}">← Mois précédent' in page
    assert "Mois suivant" not in page  # no future month
    assert f'href="/mediateur/statistiques?mois={shift(this, -12)}"' in page
    older = page_of(stats_client, f"/mediateur/statistiques?mois={MONTH}")
    assert 'href="/mediateur/statistiques?mois=2026-04">Mois suivant' in older
    assert 'href="/mediateur/statistiques?mois=2026-02">← Mois précédent' in older


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "mars", "2026-00", "0000-01", SCRIPT])
def test_an_invalid_month_gets_a_clear_french_message(stats_client, month):
    for path in ("/mediateur/statistiques", "/mediateur/statistiques/export"):
        response = stats_client.get(path, query_string={"mois": month, "format": "csv"})
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and "Mois non valide : écrivez-le comme 2026-03" in text
        assert "<script>alert" not in text


def test_without_counters_the_page_says_there_is_no_data_yet(mediator):
    page = page_of(mediator)
    assert "Aucune donnée pour le moment" in page and "<svg xmlns" not in page
    export = mediator.get(f"/mediateur/statistiques/export?mois={MONTH}&format=csv")
    assert export.status_code == 404 and "Aucune donnée" in export.get_data(as_text=True)


def test_the_nav_links_to_the_statistics(stats_client):
    page = page_of(stats_client, "/mediateur/")
    assert '<a href="/mediateur/statistiques">Statistiques</a>' in page


def test_the_runtime_gives_the_page_the_terminals_counters(tmp_path):
    from core.config import Config
    from core.passwords import hash_password
    from kiosk.runtime import _portal_app
    from kiosk.supervisor import Supervisor

    config = Config(tmp_path)
    config.set("admin_password_hash", hash_password(PASSWORD))
    config.save()
    supervisor = Supervisor(tmp_path)
    store = CounterStore(tmp_path, policy=lambda: supervisor.store.current)
    fill(store)
    try:
        client = _portal_app(supervisor, store).test_client()
        assert login(client).status_code == 303
        assert row(page_of(client), "Sessions commencées") == 3
        assert "Aucune donnée" in page_of(_logged_in(_portal_app(Supervisor(tmp_path / "off"))))
    finally:
        store.close()


def _logged_in(app):
    from core.config import Config
    from core.passwords import hash_password

    config = Config(Path(app.config["MEDIATOR_STATE_DIR"]))
    config.set("admin_password_hash", hash_password(PASSWORD))
    config.save()
    client = app.test_client()
    assert login(client).status_code == 303
    return client


# -- exports ---------------------------------------------------------------------------------

def download(client, fmt: str):
    response = client.get(f"/mediateur/statistiques/export?mois={MONTH}&format={fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


@pytest.mark.parametrize("fmt, separator, name", [
    ("csv", ";", "indicateurs-2026-03.csv"), ("csv-comma", ",", "indicateurs-2026-03-virgule.csv")])
def test_csv_downloads_parse_with_the_csv_module(stats_client, fmt, separator, name):
    response = download(stats_client, fmt)
    assert response.content_type == "text/csv; charset=utf-8"
    assert attachment_name(response) == name
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=separator))
    assert len(rows) == 1 and rows[0]["Mois"] == MONTH
    assert rows[0]["Sessions commencées"] == "3"
    assert rows[0]["Thématique : Famille - Scolarité"] == "2"


def test_xlsx_download_opens_with_openpyxl(stats_client):
    from openpyxl import load_workbook
    response = download(stats_client, "xlsx")
    assert response.content_type == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment_name(response) == "indicateurs-2026-03.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Mois"] == MONTH and values["Sessions commencées"] == 3


def test_json_download_is_signed_by_the_terminal_key(stats_client, state):
    import base64
    response = download(stats_client, "json")
    assert response.content_type == "application/json"
    assert attachment_name(response) == "indicateurs-2026-03.json"
    envelope = json.loads(response.data)
    report = json.loads(envelope["payload"])
    assert report["month"] == MONTH and report["figures"]["sessions_started"] == 3
    terminal_key(state).public_key().verify(base64.b64decode(envelope["signature"]),
                                            envelope["payload"].encode())


def test_an_unknown_export_format_is_refused(stats_client, state):
    response = stats_client.get(f"/mediateur/statistiques/export?mois={MONTH}&format=pdf")
    assert response.status_code == 400 and "Format inconnu" in response.get_data(as_text=True)


def test_the_page_offers_the_four_downloads_and_the_audit_log_records_them(stats_client, state):
    page = page_of(stats_client)
    for fmt in ("csv", "csv-comma", "xlsx", "json"):
        assert f'href="/mediateur/statistiques/export?mois={MONTH}&amp;format={fmt}"' in page
    assert "JSON signé" in page and "CSV (;)" in page
    download(stats_client, "xlsx")
    assert "indicateurs 2026-03, format xlsx" in (state / "audit.log").read_text()


# -- the funder's hub ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A real hub (SQLite) served by waitress on loopback, shared by this module."""
    from waitress import create_server

    from hub import create_hub_app

    folder = tmp_path_factory.mktemp("hub")
    app = create_hub_app(f"sqlite:///{folder / 'hub.sqlite3'}")
    server = create_server(app, host="127.0.0.1", port=0, threads=2)

    def serve() -> None:
        try:
            server.run()
        except OSError:
            pass  # closed while waiting in select()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)
    app.extensions["hub_db"].close()


def new_code(hub, association: str = "Centre social Bastide") -> str:
    from tests.hub.conftest import code_for  # registers the association first
    return code_for(hub[0].extensions["hub_db"], association)


ENROL = "/mediateur/statistiques/inscription"


def enrol(client, form: dict):
    return post(client, ENROL, form)


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_enrolment_with_the_funders_code_succeeds(stats_client, hub, state):
    from kiosk.identity import terminal_id
    code = new_code(hub)
    response = enrol(stats_client, {"hub": hub[1] + "/", "code": code})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    page = page_of(stats_client, response.headers["Location"])
    assert "La borne est inscrite auprès du financeur (association : Centre social Bastide)" in page
    assert f"La borne envoie ses rapports à : {hub[1]}" in page
    assert "Envoyer le rapport maintenant" in page
    rows = hub[0].extensions["hub_db"].all("SELECT terminal_id, association FROM terminals")
    assert (terminal_id(state), "Centre social Bastide") in [tuple(r) for r in rows]
    log = (state / "audit.log").read_text()
    assert "hub_enrolled" in log and code not in log


def test_a_wrong_code_shows_the_hubs_refusal_in_french(stats_client, hub, state):
    response = enrol(stats_client, {"hub": hub[1], "code": "AAAA-BBBB-CCCC"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le hub a refusé le code : il est inconnu, expiré ou déjà utilisé." in page
    assert 'value="AAAA-BBBB-CCCC"' in page  # what was typed is kept
    assert not (state / "hub_url").exists()
    assert "hub_enrol_refused" in (state / "audit.log").read_text()


def test_a_used_code_is_refused_the_second_time(stats_client, hub):
    code = new_code(hub)
    assert enrol(stats_client, {"hub": hub[1], "code": code}).status_code == 303
    again = enrol(stats_client, {"hub": hub[1], "code": code})
    assert again.status_code == 400 and "déjà utilisé" in again.get_data(as_text=True)


def test_an_unreachable_hub_gives_a_clear_message(stats_client, state):
    url = dead_url()
    response = enrol(stats_client, {"hub": url, "code": "AAAA-BBBB-CCCC"})
    page = response.get_data(as_text=True)
    assert response.status_code == 502
    assert f"Le hub {url} ne répond pas. Vérifiez l&#39;adresse" in page and "Traceback" not in page
    assert not (state / "hub_url").exists()


def test_an_address_that_is_not_a_hub_is_explained(stats_client, hub):
    response = enrol(stats_client, {"hub": hub[1] + "/pas-un-hub", "code": "AAAA-BBBB-CCCC"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r"Cette adresse ne répond pas comme un hub de collecte \(code 4\d\d\)", page)


@pytest.mark.parametrize("address", ["indicateurs.exemple.fr", "ftp://hub.fr", "https://",
                                     "javascript:alert(1)"])
def test_an_invalid_hub_address_is_refused_before_any_request(stats_client, address):
    response = enrol(stats_client, {"hub": address, "code": "X"})
    assert response.status_code == 400
    assert "Adresse du hub non valide" in response.get_data(as_text=True)


def test_an_empty_code_is_refused(stats_client, hub):
    response = enrol(stats_client, {"hub": hub[1], "code": "  "})
    assert response.status_code == 400
    assert "Tapez le code d&#39;inscription" in response.get_data(as_text=True)


def test_hub_forms_need_the_csrf_token(stats_client, hub, state):
    code = new_code(hub)
    response = stats_client.post(ENROL, data={"hub": hub[1], "code": code})
    assert response.status_code == 400 and not (state / "hub_url").exists()
    assert stats_client.post("/mediateur/statistiques/envoyer").status_code == 400


def test_send_now_pushes_the_reports_to_the_hub(stats_client, hub, state):
    from kiosk.identity import terminal_id
    enrol(stats_client, {"hub": hub[1], "code": new_code(hub)})
    response = post(stats_client, "/mediateur/statistiques/envoyer")
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    page = page_of(stats_client, response.headers["Location"])
    assert "Rapport envoyé au financeur. Rapports envoyés : 2." in page
    assert "Aucun rapport n&#39;attend dans la boîte d&#39;envoi." in page
    stored = hub[0].extensions["hub_db"].all("SELECT month FROM reports WHERE terminal_id = ?",
                                              (terminal_id(state),))
    assert len(stored) == 2
    assert "2 rapport(s) envoyé(s), 0 en attente" in (state / "audit.log").read_text()


def test_send_now_while_the_hub_is_down_keeps_the_reports_waiting(stats_client, state):
    (state / "hub_url").write_text(dead_url() + "\n")
    response = post(stats_client, "/mediateur/statistiques/envoyer")
    page = response.get_data(as_text=True)
    assert response.status_code == 502 and "ne répond pas" in page
    assert "Les rapports attendent dans la boîte d&#39;envoi" in page
    assert "2 rapports attendent dans la boîte d&#39;envoi." in page
    assert len(list((state / "outbox").glob("*.json"))) == 2


def test_send_now_before_enrolment_says_to_enrol_first(stats_client):
    response = post(stats_client, "/mediateur/statistiques/envoyer")
    assert response.status_code == 400
    assert "inscrite auprès d&#39;aucun hub" in response.get_data(as_text=True)


# -- escaping --------------------------------------------------------------------------------

def test_nothing_from_the_counters_or_the_hub_is_rendered_unescaped(stats_client, counters, state):
    db = sqlite3.connect(counters.path)
    hostile = SCRIPT + '"><img src=x onerror=alert(1)>'
    with db:
        for metric in ("tile_site", "tile_thematic", "sessions_ended", "duration", "start_hour"):
            db.execute("INSERT INTO daily VALUES ('2026-03-05', ?, ?, 4)", (metric, hostile))
    db.close()
    page = page_of(stats_client)
    for fragment in RAW:
        assert fragment not in page
    shown = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert row(section(page, "sites"), shown) == 4  # an unknown id is shown, as text
    assert row(section(page, "thematiques"), "Autre") == 5
    message = page_of(stats_client, f"/mediateur/statistiques?mois={MONTH}&message=enrolled"
                                    f"&association={SCRIPT}")
    assert SCRIPT not in message and "&lt;script&gt;" in message


@pytest.fixture
def hostile_hub():
    """A loopback server answering every enrolment with a refusal carrying markup."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.dumps({"error": SCRIPT + '"><img src=x onerror=alert(1)>'}).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_hostile_hub_error_is_shown_as_plain_text(stats_client, hostile_hub):
    response = enrol(stats_client, {"hub": hostile_hub, "code": "X"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le hub a refusé la demande (réponse : &lt;script&gt;" in page
    for fragment in RAW:
        assert fragment not in page



def test_the_terminal_page_and_the_hub_name_each_figure_the_same(stats_client, counters):
    """One vocabulary (core/vocabulary.py): every label the terminal's page shows for a figure
    is the name of that figure's column in the funder's export (same words, same count)."""
    from html import unescape

    from core.spreadsheets import columns
    from kiosk.export import figures_for
    page = unescape(page_of(stats_client))
    hub_row = columns(figures_for(counters, MONTH))
    shared = {"Sessions commencées": 3, "Demandes d'aide": 3, "Pages refusées": 0,
              "Impressions (toutes issues)": 0}
    for label, count in shared.items():
        assert f'<th scope="row">{label}</th><td>{count}</td>' in page, label
    for label in ("Terminée par la personne", "Inactivité", "Plus de 60 minutes", "Après 17 h",
                  "Famille - Scolarité"):
        assert f'<th scope="row">{label}</th>' in page, label
        assert any(name.endswith(f" : {label}") for name in hub_row), label
    assert hub_row["Sessions commencées"] == 3 and hub_row["Demandes d'aide"] == 3
    assert hub_row["Pages refusées"] == 0


def test_the_page_shows_autonomy_and_each_end_answer_on_its_own(stats_client, counters):
    """The mediator sees their own terminal's answers (no suppression on the terminal itself:
    the "< 3" rule is for what leaves it)."""
    day = datetime(2026, 3, 20, 10)
    counters.record(Event("session_started"), when=day)
    counters.record(Event("accompanied_unlock", site_id="caf"), when=day)
    counters.record(Event("answer", detail="outcome:not_yet"), when=day)
    counters.record(Event("answer", detail="age_band:60_plus"), when=day)
    counters.record(Event("session_ended", detail="user"), when=day)
    page = stats_client.get(f"/mediateur/statistiques?mois={MONTH}").get_data(as_text=True)
    section = page[page.index('id="autonomie"'):page.index('id="demarche"')]
    assert re.search(r"Seul\(e\)</th><td>3<", section)  # the three sessions of `fill`
    assert re.search(r"Accompagnée par un médiateur</th><td>1<", section)
    section = page[page.index('id="demarche"'):page.index('id="premiere-fois"')]
    assert re.search(r"Non, pas encore</th><td>1<", section)
    assert "Rien de compté" in page[page.index('id="premiere-fois"'):page.index('id="age"')]
    assert re.search(r"60 ans et plus</th><td>1<", page[page.index('id="age"'):])
