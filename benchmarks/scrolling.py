"""Scrolling smoothness: frames per second while a long administrative-looking page scrolls, in
the launcher with software rendering (the default), with OpenGL (`KIOSK_LAUNCHER_GPU=1`), and in
Debian's Chromium kiosk, all on the same page in the same run.

Run under a display the size of the terminal's screen, e.g.
`xvfb-run -a -s "-screen 0 1920x1080x24" python benchmarks/scrolling.py`. The page scrolls itself
by a fixed step on every animation frame for a few seconds and reports the intervals between
frames; a renderer that cannot keep up gets fewer frames. Under Xvfb "OpenGL" is Mesa's llvmpipe,
itself a CPU renderer, so this shows whether software rendering keeps scrolling fluid on this CPU,
not what a real GPU would do. Prints medians of the runs: frames per second and the 95th
percentile frame interval.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import LocalPage, fresh_chromium, fresh_launcher, stop_group  # noqa: E402

from tests.launcher.harness import write_policy  # noqa: E402

SECONDS = 4
SECTION = """<section><h2>Rubrique %(n)d : vos ressources</h2>
<p>Indiquez les montants perçus au cours des trois derniers mois : salaires, indemnités,
pensions, revenus d'activité non salariée. Ces informations servent au calcul de vos droits.</p>
<form><label>Montant du mois %(n)d <input value="1 234,56"></label>
<label><input type="checkbox" checked> Je certifie l'exactitude des informations</label>
<select><option>Salaire</option><option>Pension</option></select>
<button type="button">Valider</button></form>
<table><tr><th>Mois</th><th>Montant</th><th>Statut</th></tr>
<tr><td>Janvier</td><td>1 234,56 €</td><td>Déclaré</td></tr>
<tr><td>Février</td><td>1 198,00 €</td><td>En cours</td></tr></table></section>"""
PAGE = ("""<!doctype html><meta charset=utf-8><title>Déclaration</title>
<style>body{font:18px/1.5 sans-serif;margin:0 auto;max-width:1100px;padding:1rem}
section{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0;
box-shadow:0 2px 6px rgba(0,0,0,.15);background:linear-gradient(#fff,#f4f6fb)}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.4rem}
input,select,button{font:inherit;padding:.4rem;margin:.3rem}</style>
<h1>Déclaration trimestrielle de ressources</h1>"""
        + "".join(SECTION % {"n": n} for n in range(1, 81))
        + """<script>
onload = () => setTimeout(() => {
  const times = [], end = performance.now() + SCROLL_MS;
  const step = (now) => {
    times.push(now); scrollBy(0, 12);
    if (now < end) requestAnimationFrame(step);
    else fetch("/frames", {method: "POST", body: JSON.stringify(times)});
  };
  requestAnimationFrame(step);
}, 1000);
</script>""").replace("SCROLL_MS", str(SECONDS * 1000)).encode()


class FrameServer:
    """Serves PAGE and keeps the frame times the page posts back."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.times: list[float] = []
        self.url = LocalPage(self._answer).url

    def _answer(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if method == "POST":
            self.times = json.loads(body)
            self.done.set()
            return 200, b""
        return (200, PAGE) if path == "/" else (404, b"")


def frames(command: list[str], env: dict[str, str], server: FrameServer) -> tuple[float, float]:
    """(frames per second, 95th percentile frame interval in ms) of one scroll."""
    server.done.clear()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if not server.done.wait(60):
            raise RuntimeError(f"no frames from {command[0]}")
    finally:
        stop_group(proc)
        proc.stdin.close()
    times = server.times
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    fps = (len(times) - 1) / ((times[-1] - times[0]) / 1000)
    return fps, gaps[int(0.95 * (len(gaps) - 1))]


def launcher_command(server: FrameServer, work: Path, gpu: bool) -> tuple[list[str], dict]:
    policy = write_policy(work / "policy.toml", strict=False)
    command, env = fresh_launcher(server.url, work, policy)
    env.pop("KIOSK_LAUNCHER_GPU", None)
    if gpu:
        env["KIOSK_LAUNCHER_GPU"] = "1"
    return command, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("needs a display: run under xvfb-run")
    server = FrameServer()
    contenders = {
        "software": lambda work: launcher_command(server, work, gpu=False),
        "opengl": lambda work: launcher_command(server, work, gpu=True),
        "chromium": lambda work: fresh_chromium(server.url, work),
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    with tempfile.TemporaryDirectory(prefix="kiosk-scroll-") as tmp:
        for run in range(args.runs):
            for name, make in contenders.items():  # alternate, so noise hits all alike
                fps, p95 = frames(*make(Path(tmp)), server)
                results[name].append((fps, p95))
                print(f"run {run + 1} {name:8} {fps:5.1f} frames/s  p95 interval {p95:5.1f} ms",
                      flush=True)
    for name, runs in results.items():
        print(f"median {name:8} {statistics.median(f for f, _ in runs):5.1f} frames/s  "
              f"p95 interval {statistics.median(p for _, p in runs):5.1f} ms")


if __name__ == "__main__":
    main()
