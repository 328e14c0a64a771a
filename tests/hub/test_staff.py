"""The funder's staff pages: login, lockout, CSRF, consolidated table, downloads, codes."""

from __future__ import annotations

import io
import re
import time

import pytest
from openpyxl import load_workbook

from hub.auth import check_login, hash_password, lock_delay, verify_password
from tests.hub.conftest import PASSWORD, Terminal


def csrf(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, username: str = "financeur", password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf(client)})


def test_pages_need_a_login(client):
    for path in ("/", "/terminals", "/export.csv"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert "/login" in answer.headers["Location"]


def test_staff_login_sets_a_strict_httponly_cookie(client, staff):
    answer = login(client)
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(client, staff):
    answer = client.post("/login", data={"username": "financeur", "password": PASSWORD})
    assert answer.status_code == 400
    assert "Jeton de sécurité" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_failures_lock_the_account_with_a_growing_delay(client, db, staff):
    for _ in range(3):
        assert login(client, password="wrong password").status_code == 401
    locked = login(client)  # even the right password waits now
    assert locked.status_code == 401
    assert "Trop d&#39;essais. Réessayez dans" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [lock_delay(n) for n in (1, 2, 3, 4, 5, 20)] == [0, 0, 5, 10, 20, 3600]


def test_the_lock_ends_after_its_delay(db, staff):
    for _ in range(3):
        check_login(db, "financeur", "nope", now=1000.0)
    assert check_login(db, "financeur", PASSWORD, now=1004.0) == (False, pytest.approx(1.0))
    assert check_login(db, "financeur", PASSWORD, now=1005.5) == (True, 0.0)
    assert db.all("SELECT * FROM login_failures") == []


def test_passwords_are_stored_as_scrypt_hashes(db, staff):
    stored = db.one("SELECT password_hash FROM staff")[0]
    assert stored.startswith("scrypt$16384$8$1$") and PASSWORD not in stored
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "x")
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_the_table_sums_terminals_by_association_and_month(client, db, staff):
    first, second, other = Terminal("Bastide"), Terminal("Bastide"), Terminal("Grand Parc")
    for terminal in (first, second, other):
        terminal.enrol(client, db)
    client.post("/api/reports", json=first.report(sessions=3))
    client.post("/api/reports", json=second.report(sessions=4))
    client.post("/api/reports", json=other.report(sessions=2))
    client.post("/api/reports", json=other.report(month="2026-02", sessions=9))
    login(client)
    page = client.get("/?month=2026-03").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page
    assert "<caption>Sessions par association, mars 2026</caption>" in page
    assert re.search(r"<th scope=\"row\">Bastide</th><td>7</td>", page)
    assert "<caption>Sessions par mois, toutes associations</caption>" in page
    assert re.search(r"<th scope=\"row\">février 2026</th><td>9</td>", page)
    csv = client.get("/export.csv?month=2026-03").data
    assert csv.startswith(b"\xef\xbb\xbf")
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Association;Quartier;Commune;Mois;Mois complet;Bornes attendues;"
                               "Rapports reçus;Rapports manquants;Sessions commencées;")
    assert lines[1].startswith("Bastide;;;2026-03;oui;2;2;0;7;")
    assert lines[2].startswith("Grand Parc;;;2026-03;oui;1;1;0;2;")
    comma = client.get("/export.csv?month=2026-03&sep=comma").data.decode("utf-8-sig")
    assert comma.startswith("Association,Quartier,Commune,Mois,")
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx").data))["Indicateurs"]
    rows = [(row[0], row[3], row[6], row[8]) for row in sheet.iter_rows(min_row=2,
                                                                         values_only=True)]
    assert rows[:3] == [("Grand Parc", "2026-02", 1, 9), ("Bastide", "2026-03", 2, 7),
                        ("Grand Parc", "2026-03", 1, 2)]


def test_staff_create_an_enrolment_code_that_a_terminal_can_use(client, db, staff):
    from hub.places import create_place
    place = create_place(db, "financeur", {"name": "Centre Bastide"})
    login(client)
    page = client.post("/terminals", data={"place_id": place.id,
                                           "csrf_token": csrf(client, "/terminals")})
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page.get_data(as_text=True)).group(1)
    from kiosk.identity import public_key_b64
    terminal = Terminal()
    answer = client.post("/api/enrol", json={"terminal_id": terminal.id, "code": code,
                                             "public_key": public_key_b64(terminal.key),
                                             "association": "Centre Bastide"})
    assert answer.status_code == 201
    assert terminal.id in client.get("/terminals").get_data(as_text=True)


def test_logout_ends_the_session(client, staff):
    login(client)
    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    assert client.get("/").status_code == 302


def test_staff_pages_forbid_scripts_and_framing(client):
    headers = client.get("/login").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_table_shows_every_column_when_associations_differ(client, db, staff):
    first, other = Terminal("Bastide"), Terminal("Grand Parc")
    for terminal in (first, other):
        terminal.enrol(client, db)
    client.post("/api/reports", json=first.report(sessions=3))
    report = other.report(sessions=2)
    client.post("/api/reports", json=report)
    login(client)
    page = client.get("/?month=2026-03").get_data(as_text=True)
    screen, printed = page.split('<div class="print-only">')
    assert screen.count("<th scope=\"col\">Site : CAF</th>") == 1
    assert printed.count("<th scope=\"col\">Site : CAF</th>") == 1


def test_failures_across_user_names_slow_down_the_client(client, db, staff):
    for index in range(6):
        assert login(client, username=f"guess{index}", password="x" * 12).status_code == 401
    locked = login(client)  # the right account, not locked, but this client must wait
    assert "Réessayez dans" in locked.get_data(as_text=True)
    # The refused attempt counts (every attempt does) without locking the account.
    failures, locked_until = db.one("SELECT failures, locked_until FROM login_failures"
                                    " WHERE username = 'financeur'")
    assert failures == 1 and locked_until <= time.time()
