"""A whole day at the terminal: ONE real `kiosk run` under Xvfb serves eight residents in a row,
each with a different journey, driven only through its public surfaces: the window (xdotool
clicks and keys, screenshots), the portal over HTTP (resident and mediator pages) and the
`kiosk session` command. In every session the resident downloads a document and prints a page
(fake `lp`). After each resident, from outside: the same `kiosk run` still serves, the welcome
screen is ready, in French, at normal zoom, pixel for pixel the one the first resident saw;
nothing of the previous resident is listed, visible or reachable; and the features work for
resident N exactly as for resident 1.

Timers are short (idle 15 s + 6 s countdown, sessions of 36 s, "Session effacée" for 1 s) so
the day fits in about three minutes.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from launcher.options import window_options
from tests.fakesites import FakeSites
from tests.supervisor.conftest import RunningKiosk, differing_pixels, settled_screenshot

pytestmark = [pytest.mark.gui, pytest.mark.slow]

PASSWORD = "borne du quartier 2026"
FAKE_LP = "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/lp.calls\"\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The fake CAF: a big download link on the left, a link to a site outside the catalogue (the
# accompanied unlock's target) on the right, both fixed so zoom keeps them under the same point.
CAF = """<h1>CAF</h1><p>Votre espace</p>
<a href="/attestation-caf.pdf" download style="display:block;position:fixed;left:20px;top:120px;
width:400px;height:200px;background:#dde">Télécharger l'attestation</a>
<a href="{ants}" style="display:block;position:fixed;left:600px;top:120px;width:400px;
height:200px;background:#ede">Demande de titre (ANTS)</a>"""

# The window in windowed mode on the 1280x800 test screen, and where our own toolbar and the
# fake CAF's links are in it. The portal's buttons are located in its own pages (see `locate`).
WINDOW = window_options((0, 0, 1280, 800), windowed=True)
DOWNLOAD_LINK = (WINDOW.x + 220, WINDOW.y + 220)
ANTS_LINK = (WINDOW.x + 800, WINDOW.y + 220)
# "Terminer la session" ends the toolbar, which speaks the resident's language: on the left in
# Arabic (right to left).
END_BUTTON = {"fr": (WINDOW.x + WINDOW.width - 106, WINDOW.y + 28),
              "ar": (WINDOW.x + 60, WINDOW.y + 28)}
PAGE = (WINDOW.x + WINDOW.width // 2, WINDOW.y + 580)
START = ("/", 'form[action$="/commencer"] button')
ARABIC = ("/", 'button[name="lang"][value="ar"]')
TILE = ("/accueil", 'a.tile[href*="caf"]')


def policy(sites: FakeSites) -> bytes:
    return (f'version = 1\n[session]\nidle_minutes = 0.25\nwarning_seconds = 6\n'
            f'max_minutes = 0.6\n'
            f'[[category]]\nid = "famille_scolarite"\nlabel = "Famille"\n'
            f'[[site]]\nid = "caf"\nname = "CAF"\ncategory = "famille_scolarite"\n'
            f'url = "{sites.url("caf.localhost", "/")}"\n'
            f'hosts = ["caf.localhost:{sites.port}"]\n').encode()


class Day:
    """The terminal as the association and its residents reach it."""

    def __init__(self, kiosk: RunningKiosk, sites: FakeSites, display: str, shots: Path,
                 browser):
        self.kiosk, self.sites, self.display, self.shots = kiosk, sites, display, shots
        self.browser = browser
        self.pid = kiosk.process.pid
        self.bin = Path(kiosk.env["PATH"].split(":")[0])
        self.welcome: Path | None = None
        self.resident = 0

    # -- the window -------------------------------------------------------------------------
    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, timeout=10,
                       env={**os.environ, "DISPLAY": self.display})

    def locate(self, target: tuple[str, str]) -> tuple[int, int]:
        """Where a portal button is in the window: the same page, in the session's language,
        laid out by Chromium at the window's size (so a change of the portal's layout moves the
        click with it)."""
        path, selector = target
        context = self.browser.new_context(viewport={"width": WINDOW.width,
                                                     "height": WINDOW.height})
        try:
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{self.kiosk.port}{path}")
            box = page.locator(selector).first.bounding_box()
        finally:
            context.close()
        assert box, f"{selector} not found on {path}"
        return (round(WINDOW.x + box["x"] + box["width"] / 2),
                round(WINDOW.y + box["y"] + box["height"] / 2))

    def click(self, point: tuple[int, int], pause: float = 1.0) -> None:
        self.xdotool("mousemove", str(point[0]), str(point[1]), "click", "1")
        time.sleep(pause)

    def keys(self, *keys: str, pause: float = 0.6) -> None:
        self.xdotool("key", "--delay", "120", *keys)
        time.sleep(pause)

    def screenshot(self, name: str) -> Path:
        return settled_screenshot(self.display, self.shots / f"{self.resident:02d}-{name}.png")

    # -- the portal and the supervisor, from outside ----------------------------------------
    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.kiosk.port}{path}",
                                    timeout=10) as response:
            return json.loads(response.read())

    def documents(self) -> list[str]:
        return [d["name"] for d in self.get_json("/api/documents")["documents"]]

    def prints(self) -> int:
        calls = self.bin / "lp.calls"
        return len(calls.read_text().splitlines()) if calls.exists() else 0

    def status(self) -> dict:
        return self.kiosk.status()

    # -- journeys -----------------------------------------------------------------------------
    def begin(self, language: str = "fr") -> None:
        self.resident += 1
        self.language = language
        if language == "ar":
            self.click(self.locate(ARABIC), pause=1.5)
        self.click(self.locate(START), pause=1.5)
        self.kiosk.wait_for(lambda s: s["state"] == "active", timeout=15)
        assert self.get_json("/api/state")["language"] == language
        self.click(self.locate(TILE), pause=1.5)
        self.sites.wait_for("caf.localhost", "/", count=self.caf_visits + 1)
        self.caf_visits += 1

    def download_and_print(self) -> None:
        """What every resident does: the features must work for N as for 1."""
        assert self.documents() == [], f"resident {self.resident} found a document at start"
        self.click(DOWNLOAD_LINK, pause=0.5)
        deadline = time.monotonic() + 15
        while self.documents() != ["attestation-caf.pdf"]:
            assert time.monotonic() < deadline, f"resident {self.resident}: no download"
            time.sleep(0.2)
        printed = self.prints()
        self.xdotool("mousemove", str(PAGE[0]), str(PAGE[1]))
        self.keys("ctrl+p")
        self.keys("Return")  # "Imprimer" has the focus in the confirmation
        deadline = time.monotonic() + 20
        while self.prints() == printed:
            assert time.monotonic() < deadline, f"resident {self.resident}: print did nothing"
            time.sleep(0.2)
        self.keys("Return")  # closes "Impression lancée"

    def end_with_the_toolbar(self, answer: str = "passer") -> None:
        """"Terminer", confirmed: the window then shows the end question (on by default) and
        the session waits for it; the resident answers or skips it ("passer")."""
        self.click(END_BUTTON[self.language], pause=0.8)
        self.keys("Return")  # "Oui, terminer" has the focus
        time.sleep(1.0)
        assert self.status()["state"] in ("active", "warning"), "ended before the question"
        urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{self.kiosk.port}/fin/questions/0",
            data=f"reponse={answer}".encode(), method="POST"), timeout=10).close()

    def mediator(self) -> urllib.request.OpenerDirector:
        """A mediator's browser on the portal, logged in."""
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{self.kiosk.port}"

        def post(path: str, fields: dict) -> str:
            page = opener.open(base + path, timeout=10).read().decode()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
            return opener.open(base + path, data=data, timeout=10).read().decode()

        post("/mediateur/connexion", {"password": PASSWORD})
        opener.post = post
        return opener

    # -- after each resident -------------------------------------------------------------------
    def check_next_resident_is_welcome(self, reason: str) -> None:
        who = f"after resident {self.resident} ({reason})"
        status = self.kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"]
                                     and s["last_end_reason"] == reason, timeout=60)
        assert self.kiosk.process.poll() is None and self.kiosk.process.pid == self.pid, who
        assert status["last_wipe"]["ok"] and status["last_wipe"]["verified"], who
        state = self.get_json("/api/state")
        assert state["language"] == "fr" and not state["help_requested"], who
        assert self.documents() == [], who
        assert list((self.kiosk.state / "session" / "downloads").iterdir()) == [], who
        shown = self.screenshot("welcome")
        assert differing_pixels(shown, self.welcome) < 500, (
            f"{who}: the welcome screen is not the first resident's (French, normal zoom, "
            f"nothing left on it); see {shown}")


@pytest.fixture(scope="module")
def day(tmp_path_factory, display, fake_sites, browser):
    base = tmp_path_factory.mktemp("day")
    ants = fake_sites.page("ants.localhost", "/", "<h1>ANTS</h1>")
    fake_sites.page("caf.localhost", "/", CAF.format(ants=ants))
    fake_sites.add("caf.localhost", "/attestation-caf.pdf", PDF, content_type="application/pdf",
                   headers={"Content-Disposition": 'attachment; filename="attestation-caf.pdf"'})
    kiosk = RunningKiosk(base / "terminal", policy(fake_sites), display)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    (bin_dir / "lp").write_text(FAKE_LP)
    (bin_dir / "lp").chmod(0o755)
    kiosk.env["PATH"] = f"{bin_dir}:{kiosk.env.get('PATH', '/usr/bin:/bin')}"
    with (kiosk.state / "config.toml").open("a") as config:
        config.write("wiped_notice_seconds = 1\n")
    subprocess.run([sys.executable, "-m", "kiosk", "mediator", "set-password", "--state-dir",
                    str(kiosk.state), "--password-stdin"], input=PASSWORD + "\n", text=True,
                   env=kiosk.env, check=True, capture_output=True, timeout=60)
    kiosk.start()
    shots = base / "screens"
    shots.mkdir()
    today = Day(kiosk, fake_sites, display, shots, browser)
    today.caf_visits = len(fake_sites.requests("caf.localhost", "/"))
    yield today
    kiosk.stop()


def launcher_pid(day: Day) -> int:
    (pid,) = day.kiosk.launcher_pids()
    return pid


def test_a_day_of_eight_residents_on_one_kiosk_run(day):
    started = time.monotonic()
    day.welcome = day.screenshot("welcome-first")
    ants_visits = lambda: len(day.sites.requests("ants.localhost", "/"))  # noqa: E731

    # 1. "Terminer" from the toolbar, in French; "Oui, seul(e)" to the end question.
    day.begin()
    day.download_and_print()
    day.end_with_the_toolbar("alone")
    day.check_next_resident_is_welcome("user")

    # 2. A session in Arabic.
    day.begin("ar")
    day.download_and_print()
    day.end_with_the_toolbar()
    day.check_next_resident_is_welcome("user")

    # 3. A zoomed session, ended by the mediator with `kiosk session end`.
    day.begin()
    day.keys("ctrl+plus", "ctrl+plus")
    day.download_and_print()
    subprocess.run([sys.executable, "-m", "kiosk", "session", "end", "--state-dir",
                    str(day.kiosk.state)], env=day.kiosk.env, check=True, capture_output=True,
                   timeout=60)
    day.check_next_resident_is_welcome("mediator")

    # 4. A help request, then the resident walks away: the idle countdown ends the session.
    day.begin()
    day.download_and_print()
    urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{day.kiosk.port}/aide", data=b"", method="POST"), timeout=10)
    assert day.status()["help_requested"]
    day.kiosk.wait_for(lambda s: s["state"] == "warning", timeout=40)
    day.check_next_resident_is_welcome("idle")

    # 5. Accompanied mode: the mediator unlocks a site for this session only.
    day.begin()
    day.download_and_print()
    before = ants_visits()
    day.mediator().post("/mediateur/accompagne", {"host": f"ants.localhost:{day.sites.port}",
                                                  "password": PASSWORD})
    time.sleep(0.5)
    day.click(ANTS_LINK, pause=1.0)
    day.sites.wait_for("ants.localhost", "/", count=before + 1)
    day.end_with_the_toolbar()
    day.check_next_resident_is_welcome("user")

    # 6. The window crashes in the middle of a session.
    day.begin()
    day.download_and_print()
    first_window = launcher_pid(day)
    os.kill(first_window, signal.SIGKILL)
    day.check_next_resident_is_welcome("crash_recovery")
    assert launcher_pid(day) != first_window and not psutil.pid_exists(first_window) or \
        psutil.Process(first_window).status() == psutil.STATUS_ZOMBIE

    # 7. The time limit: busy to the end (input never cancels that countdown).
    day.begin()
    day.download_and_print()
    for step in range(15):
        if day.status()["last_end_reason"] == "time_limit":
            break
        day.xdotool("mousemove", str(600 + 40 * (step % 2)), "600")
        time.sleep(3)
    day.check_next_resident_is_welcome("time_limit")

    # 8. The next resident: the site unlocked for resident 5 stays closed, and everything
    # works as it did for resident 1.
    day.xdotool("mousemove", str(WINDOW.x + WINDOW.width - 20), str(WINDOW.y + 20))
    day.keys("alt+Left", pause=1.0)  # no history of anyone before: still the same welcome
    assert differing_pixels(day.screenshot("after-back"), day.welcome) < 500
    day.begin()
    before = ants_visits()
    day.click(ANTS_LINK, pause=1.5)
    assert ants_visits() == before
    day.keys("Return")  # closes "Ce site n'est pas disponible"
    day.download_and_print()
    day.end_with_the_toolbar()
    day.check_next_resident_is_welcome("user")

    assert day.resident == 8
    # The end question: one answer (resident 1), every other end counted as "no answer"; only
    # resident 5 was accompanied (the crash's session, 6, is "alone": this process saw it start).
    import sqlite3
    with sqlite3.connect(day.kiosk.state / "counters.sqlite3") as db:
        rows = dict(((metric, key), n) for metric, key, n in db.execute(
            "SELECT metric, key, SUM(count) FROM daily WHERE metric IN ('answer_outcome',"
            " 'autonomy') GROUP BY metric, key"))
    assert rows == {("answer_outcome", "alone"): 1, ("answer_outcome", "no_answer"): 7,
                    ("autonomy", "alone"): 7, ("autonomy", "accompanied"): 1}
    elapsed = time.monotonic() - started
    print(f"\na day of {day.resident} residents in {elapsed:.0f} s on kiosk run pid {day.pid}")
