"""Read aloud: from the press on "Écouter" to the first sound, on a portal page and a long page.

Run under a display: `xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" python
benchmarks/read_aloud.py [--presses 10]`. It needs the test tools (pulseaudio, parec, xdotool).

The real window with the real portal, speech-dispatcher and espeak-ng, and the tests' sound card
(a PulseAudio null sink, real time): a real pointer click (xdotool) on the portal's "Écouter"
(the tiles page) or the toolbar's (a site page of 4000 characters, the most the window reads at
once), then the time until the first non-silent 50 ms reaches the card. That includes the click
itself and the recorder's 50 ms latency: an upper bound. Each reading is stopped ("Arrêter") and
the card left quiet before the next press. The very first press also starts speech-dispatcher;
it is reported on its own. Prints medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.events import ListSink  # noqa: E402
from portal import create_app  # noqa: E402
from portal.server import BackgroundServer  # noqa: E402
from portal.session import MemorySession  # noqa: E402
from tests.fakesites import FakeSitesServer  # noqa: E402
from tests.launcher.harness import Launcher, catalogue_text, xdotool  # noqa: E402
from tests.soundcard import SoundCard  # noqa: E402

PORTAL_BUTTON = (1165, 118)
TOOLBAR_BUTTON = (672, 28)
TILE = (220, 417)
SENTENCE = "Votre allocation est versée le cinq du mois, pensez à déclarer vos ressources. "
LONG_PAGE = ("<!doctype html><html lang=fr><main style='font-size:20px'><h1>Votre dossier</h1>"
             f"<p>{SENTENCE * (4000 // len(SENTENCE) + 1)}</p></main>")


def press(display: str, where: tuple[int, int], card: SoundCard) -> float:
    """Click, wait for the first sound; seconds from the click to it."""
    xdotool("mousemove", str(where[0]), str(where[1]), display=display)
    time.sleep(0.3)
    pressed = time.monotonic()
    xdotool("click", "1", display=display)
    card.wait_for_sound(pressed, seconds=0.05)
    return card.first_sound_after(pressed) - pressed


def stop(display: str, where: tuple[int, int], card: SoundCard) -> None:
    time.sleep(0.3)
    xdotool("click", "1", display=display)  # "Arrêter"
    card.wait_for_silence(0.8)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=10)
    args = parser.parse_args()
    display = os.environ.get("DISPLAY")
    if not display:
        sys.exit("needs a display: run under xvfb-run")
    with tempfile.TemporaryDirectory() as tmp, FakeSitesServer() as sites:
        base = Path(tmp)
        sites.page("caf.localhost", "/", LONG_PAGE)
        text = catalogue_text(sites.port)
        (base / "policy.toml").write_text(text)
        card = SoundCard(base)
        session = MemorySession(base / "kiosk" / "session" / "downloads", sink=ListSink())
        session.request_start()
        app = create_app({"PORTAL_SESSION": session, "PORTAL_POLICY": str(base / "policy.toml")})
        with BackgroundServer(app) as server:
            launcher = Launcher(base / "kiosk", server.url + "/accueil", display,
                                extra_args=["--portal", server.url, "--kept"],
                                policy_text=text, extra_env=card.env)
            try:
                launcher.wait_event("ready", timeout=60)
                time.sleep(1)
                first = press(display, PORTAL_BUTTON, card)
                stop(display, PORTAL_BUTTON, card)
                portal = []
                for _ in range(args.presses):
                    portal.append(press(display, PORTAL_BUTTON, card))
                    stop(display, PORTAL_BUTTON, card)
                xdotool("mousemove", str(TILE[0]), str(TILE[1]), "click", "1", display=display)
                launcher.wait_event("navigation_allowed", site_id="caf", timeout=30)
                time.sleep(1.5)
                long = []
                for _ in range(args.presses):
                    long.append(press(display, TOOLBAR_BUTTON, card))
                    stop(display, TOOLBAR_BUTTON, card)
            finally:
                launcher.stop()
                card.close()
    cores = len(os.sched_getaffinity(0))
    print(f"press -> first sound, {args.presses} presses each, {cores} cores")
    print(f"  first press after start (starts speech-dispatcher): {first * 1000:.0f} ms")
    for name, values in (("portal tiles page", portal), ("long site page (4000 chars)", long)):
        print(f"  {name}: median {statistics.median(values) * 1000:.0f} ms, "
              f"p95 {p95(values) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
