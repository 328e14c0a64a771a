"""Security of the hub against an attacker on the network, each over real sockets (issue 14)."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from hub import create_hub_app
from hub.auth import set_password
from hub.server import BackgroundHub
from tests.hub.browser import Browser
from tests.hub.conftest import PASSWORD
from tests.hub.test_server import kiosk_hub

ROOT = Path(__file__).resolve().parents[2]
# The key found in the hub.sqlite3-wal that was committed in 09ec5ec (now public).
PUBLISHED_KEY = "d3cc03ac6ad97beeef0227f735aba6b98ed731528c69cb712316b7dfb3e5d863"


@pytest.fixture
def served(app):
    with BackgroundHub(app) as server:
        yield server


def forged_cookie(key: str, data: dict) -> str:
    """A session cookie as anyone holding KEY can sign it."""
    forger = Flask("forger")
    forger.secret_key = key
    return forger.session_interface.get_signing_serializer(forger).dumps(data)


def test_no_database_file_is_tracked_and_all_are_ignored():
    names = ("hub.sqlite3", "hub.sqlite3-wal", "hub.sqlite3-shm", "sub/x.sqlite3-journal")
    if (ROOT / ".git").exists() and shutil.which("git"):
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split()
        ignored = [subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT).returncode == 0
                   for name in names]
    else:  # an exported tree (git archive, a release tarball): every file in it is tracked
        tracked = [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
                   if ".venv" not in path.parts and path.is_file()]
        patterns = (ROOT / ".gitignore").read_text().split()
        ignored = [any(fnmatch.fnmatch(Path(name).name, pattern) for pattern in patterns)
                   for name in names]
    assert [name for name in tracked if ".sqlite3" in name] == []
    assert all(ignored), dict(zip(names, ignored, strict=True))


def test_kiosk_hub_keeps_its_default_database_in_its_state_dir(tmp_path):
    cwd, state = tmp_path / "checkout", tmp_path / "state"
    cwd.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("KIOSK_HUB_DATABASE", "KIOSK_HUB_STATE_DIR")}
    env.update(KIOSK_STATE_DIR=str(state), PYTHONPATH=str(ROOT))
    with kiosk_hub(cwd=cwd, env=env, attempts=150) as body:
        assert "Connexion" in body
        assert (state / "hub" / "hub.sqlite3").exists()
        assert list(cwd.iterdir()) == []


def test_a_published_session_key_is_replaced_and_its_cookies_refused(database_url):
    first = create_hub_app(database_url)
    db = first.extensions["hub_db"]
    db.execute("UPDATE settings SET value = ? WHERE name = 'secret_key'", (PUBLISHED_KEY,))
    set_password(db, "financeur", PASSWORD)
    db.close_all()
    app = create_hub_app(database_url)
    try:
        stored = app.extensions["hub_db"].one(
            "SELECT value FROM settings WHERE name = 'secret_key'")[0]
        assert stored != PUBLISHED_KEY and len(stored) == 64
        assert app.secret_key == stored
        with BackgroundHub(app) as server:
            attacker = Browser(server.url)
            attacker.cookies["kiosk_hub"] = forged_cookie(PUBLISHED_KEY, {"user": "financeur"})
            answer = attacker.get("/")
            assert answer.status == 302 and "/login" in answer.headers["location"]
            # The staff still log in normally with the new key.
            staff = Browser(server.url)
            assert staff.login("financeur", PASSWORD).status == 302
            assert staff.get("/").status == 200
    finally:
        app.extensions["hub_db"].close_all()


def post_json(server, path: str, body: dict):
    import json
    return Browser(server.url).request("POST", path, body=json.dumps(body).encode(),
                                       headers={"Content-Type": "application/json"})


def enrolment(terminal, code: str, key=None) -> dict:
    from kiosk.identity import public_key_b64
    return {"terminal_id": terminal.id, "public_key": public_key_b64(key or terminal.key),
            "code": code}


def test_a_valid_code_cannot_rebind_an_enrolled_terminal(served, db):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.hub.conftest import Terminal, code_for
    victim = Terminal("Bastide")
    assert post_json(served, "/api/enrol", enrolment(victim, code_for(db, "Bastide"))
                     ).status == 201
    assert post_json(served, "/api/reports", victim.report(sessions=7)).status == 201
    # The attacker holds a genuine code (their own association) and the public terminal id.
    attacker_key = Ed25519PrivateKey.generate()
    attacker_code = code_for(db, "Attaquant")
    answer = post_json(served, "/api/enrol", enrolment(victim, attacker_code, attacker_key))
    assert answer.status == 409 and b"already_enrolled" in answer.body
    forged = Terminal("Attaquant")
    forged.id, forged.key, forged.version = victim.id, attacker_key, 50
    assert post_json(served, "/api/reports", forged.report(sessions=999)).status == 400
    # The victim's stored report is intact and its next report is accepted.
    assert db.all("SELECT association, version FROM reports") == [("Bastide", 1)]
    assert post_json(served, "/api/reports", victim.report(sessions=8)).status == 201
    assert db.one("SELECT association, public_key FROM terminals")[0] == "Bastide"
    # The refused attempt did not spend the attacker's code.
    assert db.one("SELECT used_by FROM enrolment_codes WHERE association = 'Attaquant'") == (None,)


def test_a_rebind_signed_by_the_current_key_is_accepted_and_audited(served, db):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.enrolment import code_hash
    from kiosk.identity import public_key_b64, sign_report
    from tests.hub.conftest import Terminal, code_for
    terminal = Terminal("Bastide")
    assert post_json(served, "/api/enrol", enrolment(terminal, code_for(db, "Bastide"))
                     ).status == 201
    assert post_json(served, "/api/reports", terminal.report(sessions=7)).status == 201
    new_key, code = Ed25519PrivateKey.generate(), code_for(db, "Bastide Nord")
    statement = {"purpose": "rebind", "terminal_id": terminal.id,
                 "public_key": public_key_b64(new_key), "code": code_hash(code)}
    wrong = sign_report(statement, new_key)  # signed by the new key only: no proof
    refused = post_json(served, "/api/enrol", {**enrolment(terminal, code, new_key),
                                               "proof": wrong})
    assert refused.status == 409
    proof = sign_report(statement, terminal.key)
    answer = post_json(served, "/api/enrol", {**enrolment(terminal, code, new_key),
                                              "proof": proof})
    assert answer.status == 201
    assert db.one("SELECT association FROM terminals") == ("Bastide Nord",)
    assert db.all("SELECT association FROM reports") == [("Bastide",)]
    assert db.all("SELECT actor, action, target FROM audit WHERE action <> 'create_place'") == [
        ("terminal", "rebind_with_proof", terminal.id)]


def test_staff_revocation_frees_the_id_for_a_new_enrolment(served, db, staff):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.hub.conftest import Terminal, code_for
    terminal = Terminal("Bastide")
    assert post_json(served, "/api/enrol", enrolment(terminal, code_for(db, "Bastide"))
                     ).status == 201
    assert post_json(served, "/api/reports", terminal.report(sessions=7)).status == 201
    browser = Browser(served.url)
    assert browser.login("financeur", PASSWORD).status == 302
    token = browser.csrf("/terminals")
    answer = browser.post(f"/terminals/{terminal.id}/revoke", {"csrf_token": token})
    assert answer.status == 302
    assert "Révoquée le" in browser.get("/terminals").text
    refused = post_json(served, "/api/reports", terminal.report(month="2026-04"))
    assert refused.status == 403 and b"revoked_terminal" in refused.body
    replacement = Ed25519PrivateKey.generate()
    assert post_json(served, "/api/enrol", enrolment(terminal, code_for(db, "Bastide"),
                                                     replacement)).status == 201
    assert db.all("SELECT actor, action FROM audit WHERE action <> 'create_place'"
                  " ORDER BY at, action DESC") == [
        ("financeur", "revoke"), ("terminal", "enrol_after_revocation")]
    assert db.all("SELECT association, month FROM reports") == [("Bastide", "2026-03")]


def copy_of(browser: Browser) -> Browser:
    return Browser(browser.base, dict(browser.cookies))


def test_a_copied_staff_cookie_stops_working_at_logout(served, staff):
    browser = Browser(served.url)
    assert browser.login("financeur", PASSWORD).status == 302
    thief = copy_of(browser)
    assert thief.get("/terminals").status == 200
    assert browser.post("/logout", {"csrf_token": browser.csrf("/")}).status == 302
    answer = thief.get("/terminals")
    assert answer.status == 302 and "/login" in answer.headers["location"]


def test_a_password_reset_ends_the_staff_sessions(served, db, staff):
    browser = Browser(served.url)
    assert browser.login("financeur", PASSWORD).status == 302
    assert browser.get("/").status == 200
    set_password(db, "financeur", "a brand new passphrase")
    assert browser.get("/").status == 302
    assert browser.login("financeur", "a brand new passphrase").status == 302
    assert browser.get("/").status == 200


@pytest.mark.parametrize("column, age", [("last_seen", 31 * 60), ("created_at", 13 * 3600)])
def test_staff_sessions_end_after_idle_and_absolute_lifetimes(served, db, staff, column, age):
    browser = Browser(served.url)
    assert browser.login("financeur", PASSWORD).status == 302
    assert browser.get("/").status == 200
    db.execute(f"UPDATE staff_sessions SET {column} = {column} - ?", (age,))
    assert browser.get("/").status == 302
    assert db.all("SELECT * FROM staff_sessions") == []


def test_the_staff_cookie_holds_only_a_random_token(app, served, staff):
    browser = Browser(served.url)
    browser.login("financeur", PASSWORD)
    content = app.session_interface.get_signing_serializer(app).loads(
        browser.cookies["kiosk_hub"])
    assert set(content) <= {"sid", "csrf"} and "sid" in content
    assert "financeur" not in repr(content)


def parallel_logins(server, passwords: list[str]) -> list:
    """Each password from its own browser (own CSRF token), all posted at the same time."""
    from concurrent.futures import ThreadPoolExecutor
    browsers = [Browser(server.url) for _ in passwords]
    tokens = [browser.csrf() for browser in browsers]

    def post(index: int):
        return browsers[index].post("/login", {"username": "financeur",
                                               "password": passwords[index],
                                               "csrf_token": tokens[index]})

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(post, range(len(passwords))))


def test_forty_parallel_wrong_passwords_all_count_and_lock_after_three(served, db, staff):
    answers = parallel_logins(served, ["wrong password!"] * 40)
    assert [answer.status for answer in answers] == [401] * 40
    assert db.one("SELECT failures FROM login_failures WHERE username = 'financeur'") == (40,)
    # Only the attempts counted before the lock were checked: at most two say "incorrect",
    # the third locks the account, the rest are told to wait.
    plain = [answer for answer in answers if "Identifiant ou mot de passe incorrect" in answer.text]
    assert len(plain) <= 2
    assert sum("Trop d&#39;essais" in answer.text for answer in answers) >= 38


def test_a_parallel_batch_with_the_right_password_does_not_log_in_once_locked(served, db, staff):
    parallel_logins(served, ["wrong password!"] * 8)
    batch = ["wrong password!"] * 10 + [PASSWORD] + ["wrong password!"] * 10
    answers = parallel_logins(served, batch)
    assert [answer.status for answer in answers] == [401] * len(batch)
    assert db.all("SELECT * FROM staff_sessions") == []
    assert db.one("SELECT failures FROM login_failures WHERE username = 'financeur'") == (29,)


@pytest.mark.parametrize("path", ["/api/reports", "/login"])
def test_an_oversized_body_is_refused_from_its_headers(served, path):
    import socket
    port = int(served.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     f"application/json\r\nContent-Length: {10 << 20}\r\n\r\n".encode())
        # No body is sent: the answer must come from the headers alone, not after reading it.
        sock.settimeout(5)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]


def test_the_server_cap_sits_just_above_the_app_limit():
    from hub import MAX_REPORT_BYTES
    from hub.server import MAX_BODY_BYTES
    assert MAX_REPORT_BYTES < MAX_BODY_BYTES <= 4 * MAX_REPORT_BYTES


@pytest.mark.parametrize("evil", ["/%09/evil.example", "/%0d%0a/evil.example", "//evil.example",
                                  "/%5Cevil.example", "https://evil.example/", "%20//evil.example",
                                  "/%E2%80%AE/evil.example"])
def test_login_never_redirects_off_the_hub(served, staff, evil):
    answer = Browser(served.url).login("financeur", PASSWORD, query=f"?next={evil}")
    assert answer.status == 302
    assert answer.headers["location"] == "/"


def test_login_returns_to_the_page_asked_for(served, staff):
    browser = Browser(served.url)
    asked = browser.get("/terminals")
    assert asked.headers["location"] == "/login?next=/terminals"
    answer = browser.login("financeur", PASSWORD, query="?next=/terminals")
    assert answer.headers["location"] == "/terminals"


@pytest.mark.parametrize("month", ["2026-13", "2026-03\r\nSet-Cookie: x=1", '2026-03"; x="',
                                   "2026-03\u202egpj.exe", "../../etc", "2026-3"])
def test_an_export_month_that_is_not_yyyy_mm_is_refused_in_french(served, staff, month):
    import urllib.parse
    browser = Browser(served.url)
    browser.login("financeur", PASSWORD)
    answer = browser.get("/export.csv?month=" + urllib.parse.quote(month))
    assert answer.status == 400
    assert "Mois invalide" in answer.text
    assert "content-disposition" not in answer.headers and "x" not in browser.cookies


def test_an_export_names_its_file_through_the_framework(served, staff):
    browser = Browser(served.url)
    browser.login("financeur", PASSWORD)
    answer = browser.get("/export.csv?month=2026-03")
    assert answer.status == 200
    assert answer.headers["content-disposition"] == (
        "attachment; filename=indicateurs-2026-03-pointvirgule.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
