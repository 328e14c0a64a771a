"""Where the memory goes: PSS and USS per process of the whole kiosk and of a bare Chromium kiosk
showing the same page (the portal's tiles page, /accueil), full screen on the same display.

Run under a display of 1280x800 (the kiosk's button is pressed there with xdotool):
`xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" python benchmarks/memory_breakdown.py`.
Each browser is started from nothing, left to settle after the page is on screen, then sampled
SAMPLES times; the table shows each process's median and the tree's median and peak. PSS splits
shared pages between the processes that map them; USS is what the process alone holds (freed if
it exits). "Alone" counts every physical page of the tree once: PSS also splits pages with
processes outside the tree (other browsers running the same engine lower it), this does not.

As root both sandboxes are off (Chromium refuses otherwise); `--user ACCOUNT` runs both as that
account with their sandboxes on, as the kiosk runs in production. `--site` puts both on a local
site's login page instead (the kiosk opens its tile: its toolbar shows); `--features` adds read
aloud and the on-screen keyboard in use there. Daemons the kiosk starts outside its process tree
(speech-dispatcher and its espeak-ng module) count as the kiosk's. The goal (issue 16): the
kiosk <= 0.9x Chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import (  # noqa: E402
    LocalPage,
    alone_kib,
    cold_env,
    descendants,
    fresh_chromium,
    kiosk_processes,
    stop_group,
)

from kiosk import control  # noqa: E402
from tests.launcher.harness import as_user  # noqa: E402
from tests.pixels import screen  # noqa: E402

COMMENCER_BLUE = (26, 90, 150)  # the welcome page's "Commencer" button, found on screen
# Read aloud and the on-screen keyboard in use on the site's page, as a resident would: the
# toolbar's "Écouter", a field, "Clavier", then a few keys (those of the features present).
# Toolbar buttons are named by their id in launcher/assets/toolbar.js and found on screen by
# their rank in the bar; the field and the keys are (x, y) at 1280x800, read off screenshots of
# `speech` and `keyboard` merged together on 2026-12-01. Each press: (where, pause after).
# Check with --screenshot: the field holds "caf@", the bar shows "Arrêter", the keyboard is open.
READ_ALOUD_PRESSES: list[tuple[str | tuple[int, int], float]] = [
    ("listen", 1.0),       # "Écouter": the page is read aloud (for longer than the rest)
]
KEYBOARD_PRESSES: list[tuple[str | tuple[int, int], float]] = [
    ((274, 236), 0.5),     # the first field of the login form
    ("keyboard", 2.0),     # "Clavier": the keyboard opens
    ((463, 707), 0.3), ((59, 593), 0.3), ((474, 650), 0.3), ((539, 764), 1.0),  # c a f @
]


def feature_presses() -> tuple[list[tuple[str | tuple[int, int], float]], list[str]]:
    """The presses for the features this tree has, and their names."""
    presses, names = [], []
    if (ROOT / "launcher" / "speech.py").exists():
        presses += READ_ALOUD_PRESSES
        names.append("read aloud")
    if (ROOT / "launcher" / "keyboard.py").exists():
        presses += KEYBOARD_PRESSES
        names.append("keyboard")
    return presses, names

SITE_PAGE = """<!doctype html><html lang=fr><meta charset=utf-8><title>Mon compte</title>
<h1>Connexion à votre espace</h1>
<p>Pour déclarer vos ressources, consulter vos paiements ou signaler un changement de
situation, connectez-vous avec votre numéro d'allocataire et votre mot de passe.</p>
<p>Si vous avez oublié votre mot de passe, vous pouvez en demander un nouveau. Il vous sera
envoyé par courrier ou par courriel sous quelques jours.</p>
<form method=post action=/connexion>
<label>Numéro d'allocataire <input name=numero autocomplete=off></label>
<label>Code postal <input name=cp inputmode=numeric></label>
<label>Mot de passe <input name=mdp type=password></label>
<button>Se connecter</button></form>""".encode()


def site_policy(url: str, port: int) -> str:
    """A one-site catalogue: the tile opens the local site, as a CAF tile opens caf.fr."""
    return ('version = 1\n[[category]]\nid = "famille_scolarite"\nlabel = "Famille"\n'
            '[[site]]\nid = "caf"\nname = "CAF"\ncategory = "famille_scolarite"\n'
            f'url = "{url}"\nhosts = ["caf.localhost:{port}"]\n')


class Site:
    """A local stand-in for an administrative site (a login form), at caf.localhost."""

    def __init__(self) -> None:
        page = LocalPage(lambda _method, _path, _body: (200, SITE_PAGE))
        self.port = page.server.server_address[1]
        self.url = f"http://caf.localhost:{self.port}/"


@dataclass
class Sample:
    role: str
    pss_kib: int
    uss_kib: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_kib(pid: int) -> tuple[int, int] | None:
    """(Pss, Uss) of one process in kB, from smaps_rollup; None once it has gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
            fields[parts[0][:-1]] = int(parts[1])
    return fields.get("Pss", 0), fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)


def role(pid: int) -> str:
    """What a process of either tree is, from its command line."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    # Chromium retitles its children: one NUL-free string with spaces in place of the argv.
    line = " ".join(a.decode(errors="replace") for a in argv if a)
    words = line.split()
    kind = next((w.split("=", 1)[1] for w in words if w.startswith("--type=")), None)
    if kind is None:
        if "kiosk run" in line:
            return "supervisor (python, portal)"
        if "kiosk launch" in line:
            return "launcher (python, Qt, browser)"
        name = Path(words[0]).name if words else "?"
        return "chromium browser" if name == "chromium" else name
    if kind == "utility":
        sub = next((w.split("=", 1)[1] for w in words if w.startswith("--utility-sub-type=")), "")
        return f"utility {sub.rsplit('.', 1)[-1] or '?'}"
    if kind == "zygote":
        # Qt WebEngine does not retitle what its zygote forks: a forked process that forks no
        # further is a renderer (with the sandbox on, the zygote's first child is its
        # namespace's init, which forks the renderers).
        forked = role(parent(pid)).startswith("zygote")
        return "renderer" if forked and not descendants(pid) else "zygote"
    return {"gpu-process": "gpu process"}.get(kind, kind)


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def sample(pids: list[int]) -> list[Sample]:
    found = []
    for pid in pids:
        memory = memory_kib(pid)
        if memory is not None:
            found.append(Sample(role(pid), *memory))
    return found


def collect(root: int, samples: int, interval: float,
            marker: str | None = None) -> tuple[list[list[Sample]], list[int]]:
    """Per-process samples, and the memory counted alone (each page once) alongside."""
    taken, alone = [], []
    for _ in range(samples):
        pids = kiosk_processes(root, marker)
        taken.append(sample(pids))
        alone.append(alone_kib(pids))
        time.sleep(interval)
    return taken, alone


def table(title: str, collected: tuple[list[list[Sample]], list[int]]) -> tuple[float, float]:
    """Print medians per role (processes of one role summed) and the tree's median and peak;
    returns the median total PSS and the median memory alone, in MB."""
    taken, alone = collected
    roles: dict[str, list[tuple[int, int, int]]] = {}
    for snapshot in taken:
        per_role: dict[str, list[int]] = {}
        for s in snapshot:
            entry = per_role.setdefault(s.role, [0, 0, 0])
            entry[0] += 1
            entry[1] += s.pss_kib
            entry[2] += s.uss_kib
        for name, (count, pss, uss) in per_role.items():
            roles.setdefault(name, []).append((count, pss, uss))
    totals = [sum(s.pss_kib for s in snapshot) / 1024 for snapshot in taken]
    print(f"\n{title}  ({len(taken)} samples)")
    print(f"  {'process':34} {'n':>2} {'PSS MB':>8} {'USS MB':>8}")
    for name, values in sorted(roles.items(), key=lambda kv: -statistics.median(
            v[1] for v in kv[1])):
        print(f"  {name:34} {max(v[0] for v in values):>2} "
              f"{statistics.median(v[1] for v in values) / 1024:8.1f} "
              f"{statistics.median(v[2] for v in values) / 1024:8.1f}")
    median = statistics.median(totals)
    print(f"  {'total PSS (tree)':34}    {median:8.1f}   (peak {max(totals):.1f})")
    alone_mb = statistics.median(alone) / 1024
    if alone_mb:
        print(f"  {'tree alone (each page once)':34}    {alone_mb:8.1f}   (peak "
              f"{max(alone) / 1024:.1f})")
    return median, alone_mb


def runs(values: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each stretch of True."""
    found, start = [], None
    for index, value in enumerate([*values, False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            found.append((start, index - 1))
            start = None
    return found


def toolbar_button(button: str) -> tuple[int, int] | None:
    """The middle of the toolbar's button of that id: its rank among the bar's buttons (the red
    "end" one aside) in toolbar.js, then the light boxes on the dark bar, read on screen along a
    line above their labels."""
    bar = (ROOT / "launcher" / "assets" / "toolbar.js").read_text()
    ids = [i for i in re.findall(r'<button id="(\w+)"', bar) if i != "end"]
    index = ids.index(button)
    image = screen(os.environ["DISPLAY"])
    boxes = [r for r in runs([sum(image.pixel(x, 14)) > 600 for x in range(image.width)])
             if r[1] - r[0] > 30]
    return ((boxes[index][0] + boxes[index][1]) // 2, 28) if len(boxes) > index else None


def first_tile() -> tuple[int, int] | None:
    """The middle of the tiles page's first tile: the first white box taller than the search
    field down the column of the first tile."""
    image = screen(os.environ["DISPLAY"])
    boxes = [r for r in runs([image.pixel(220, y) == (255, 255, 255) for y in range(image.height)])
             if r[0] > 100 and r[1] - r[0] > 80]
    return (220, (boxes[0][0] + boxes[0][1]) // 2) if boxes else None


def click(point: tuple[int, int]) -> None:
    subprocess.run(["xdotool", "mousemove", str(point[0]), str(point[1]), "click", "1"],
                   check=True, timeout=10)


def commencer_button() -> tuple[int, int] | None:
    """Where "Commencer" is: the middle of the button's blue band down the screen's centre
    line (its place moves when the welcome page gains a line)."""
    image = screen(os.environ["DISPLAY"])
    x = image.width // 2 - 120  # left of the label, inside the button
    rows = [y for y in range(image.height)
            if all(abs(a - b) < 12 for a, b in zip(image.pixel(x, y), COMMENCER_BLUE, strict=True))]
    if not rows:
        return None
    end = rows[0]
    while end + 1 in rows:  # the first band only (the language buttons' borders are blue too)
        end += 1
    return image.width // 2, (rows[0] + end) // 2


def wait_for(condition, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            current = condition()
            if current:
                return current
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the kiosk did not reach the expected state")


def measure_kiosk(samples: int, interval: float, settle: float,
                  env_extra: dict[str, str], screenshot: str | None = None,
                  user: str | None = None, site: Site | None = None,
                  features: bool = False) -> tuple[float, float]:
    """`kiosk run` full screen; a session is started (the tiles page on screen), or with `site`
    its tile is opened (and with `features` read aloud and the keyboard used there), then
    sampled."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-kiosk-"))
    state, port = tmp / "state", free_port()
    state.mkdir()
    (state / "config.toml").write_text(f"portal_port = {port}\nwiped_notice_seconds = 0\n")
    if site:
        (state / "policy.toml").write_text(site_policy(site.url, site.port))
    card = None
    if features:
        # Speech needs somewhere to play: a sound server of its own with a null sink stands in
        # for the terminal's sound card (kept out of the kiosk's figures: another directory).
        try:
            from tests.soundcard import SoundCard
        except ImportError:
            raise SystemExit("--features needs read aloud (and its tests/soundcard.py) on this "
                             "branch") from None

        card = SoundCard(Path(tempfile.mkdtemp(prefix="bench-memory-card-")))
        env_extra = {**card.env, **env_extra}
    runtime = tmp / "run"  # speech-dispatcher's socket goes there (and names it: see collect)
    runtime.mkdir(mode=0o700)
    env = {**cold_env(tmp), "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(runtime),
           **env_extra}
    command = [sys.executable, "-m", "kiosk", "run", "--state-dir", str(state)]
    if user:
        command = as_user(user, tmp, command, env)
    elif os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def status() -> dict:
        return control.request(state, {"cmd": "status"})

    try:
        wait_for(lambda: (s := status())["state"] == "welcome" and s["ready"] and s)
        # The resident's press on "Commencer" (a POST from outside would start the session but
        # leave the window on the welcome page).
        for attempt in range(3):  # a press while the page is still settling can miss
            time.sleep(1)
            click(wait_for(commencer_button, timeout=20))
            try:
                wait_for(lambda: (s := status())["state"] == "active" and s, timeout=10)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        title = "kiosk (kiosk run, full screen, tiles page)"
        if site:
            time.sleep(2)
            click(wait_for(first_tile, timeout=20))
            title = "kiosk (kiosk run, full screen, a site's login page)"
        if features:
            time.sleep(2)
            presses, names = feature_presses()
            for where, pause in presses:
                click(where if isinstance(where, tuple)
                      else wait_for(lambda button=where: toolbar_button(button), timeout=20))
                time.sleep(pause)
            title += f", {' and '.join(names) or 'no feature'} in use"
        time.sleep(settle)
        if screenshot:
            subprocess.run(["import", "-window", "root", screenshot], check=True, timeout=30)
        return table(title, collect(proc.pid, samples, interval, marker=str(tmp)))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        for pid in kiosk_processes(proc.pid, str(tmp))[1:]:  # a detached speech-dispatcher
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        if card:
            card.close()
        shutil.rmtree(tmp, ignore_errors=True)


class StandalonePortal:
    """The same portal (default policy, French) served on its own, for Chromium to show the same
    tiles page the kiosk shows."""

    def __init__(self) -> None:
        from waitress.server import create_server

        from portal import create_app

        tmp = Path(tempfile.mkdtemp(prefix="bench-memory-portal-"))
        app = create_app({"PORTAL_DOCUMENTS_DIR": str(tmp)})
        self.server = create_server(app, host="127.0.0.1", port=0, threads=2)
        self.url = f"http://127.0.0.1:{self.server.effective_port}/accueil"
        threading.Thread(target=self.server.run, daemon=True).start()


def measure_chromium(url: str, samples: int, interval: float, settle: float,
                     user: str | None = None) -> tuple[float, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-memory-chromium-"))
    command, env = fresh_chromium(url, work, sandbox=bool(user))
    if user:
        command = as_user(user, work, command, env)
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: any(role(p) == "renderer" for p in descendants(proc.pid)))
        time.sleep(settle + 2)  # no "ready" signal: a little longer than the kiosk
        return table(f"chromium --kiosk --incognito ({url}, full screen)",
                     collect(proc.pid, samples, interval))
    finally:
        stop_group(proc)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--settle", type=float, default=4.0,
                        help="seconds after the page is on screen before sampling")
    parser.add_argument("--only", choices=("kiosk", "chromium"))
    parser.add_argument("--screenshot", metavar="PNG",
                        help="save the kiosk's screen when sampling starts (check the page)")
    parser.add_argument("--user", metavar="ACCOUNT",
                        help="run both as this account with their sandboxes on, as in "
                             "production (needs root; without it a root run turns them off)")
    parser.add_argument("--site", action="store_true",
                        help="both on a local site's login page (the kiosk opens its tile)")
    parser.add_argument("--features", action="store_true",
                        help="on the site, the kiosk also reads aloud and opens its keyboard "
                             "(implies --site)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the kiosk (to try a setting)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("needs a display: run under xvfb-run")
    extra = dict(item.split("=", 1) for item in args.env)
    compare(args.samples, args.interval, args.settle, extra, args.screenshot, args.user,
            args.only, args.site or args.features, args.features)


def compare(samples: int = 10, interval: float = 0.5, settle: float = 4.0,
            env_extra: dict[str, str] | None = None, screenshot: str | None = None,
            user: str | None = None, only: str | None = None, on_site: bool = False,
            features: bool = False
            ) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """Print both tables and the ratios; returns (kiosk, chromium), each (median PSS, median
    alone) in MB, None for a side not measured. on_site: both on a site's page instead of the
    tiles; features: the kiosk also reads that page aloud and has its keyboard open."""
    kiosk = chromium = None
    site = Site() if on_site else None
    if only != "chromium":
        kiosk = measure_kiosk(samples, interval, settle, env_extra or {}, screenshot, user,
                              site, features)
    if only != "kiosk":
        url = site.url if site else StandalonePortal().url
        chromium = measure_chromium(url, samples, interval, settle, user)
    if kiosk and chromium:
        print(f"\nratio kiosk / chromium: PSS {kiosk[0] / chromium[0]:.2f}x", end="")
        if kiosk[1] and chromium[1]:
            print(f", alone {kiosk[1] / chromium[1]:.2f}x", end="")
        print("   (goal <= 0.9x, issue 16)")
    return kiosk, chromium


if __name__ == "__main__":
    main()
