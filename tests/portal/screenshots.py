"""Take the README screenshots in Debian's Chromium: python tests/portal/screenshots.py [OUT_DIR].

Welcome, Home (French and Arabic), Mes documents, the PDF viewer, the print confirmation and the
"site does not answer" page (Arabic), at 1280x800, from a portal served by waitress with the
default catalogue and two sample downloads.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from portal import create_app  # noqa: E402
from portal.server import BackgroundServer  # noqa: E402
from portal.session import MemorySession  # noqa: E402
from tests.conftest import CHROMIUM, chromium_args  # noqa: E402
from tests.pdfs import make_pdf  # noqa: E402

SHOTS = [  # file name, language, path
    ("welcome-fr.png", "fr", "/"),
    ("home-fr.png", "fr", "/accueil"),
    ("home-ar.png", "ar", "/accueil"),
    ("documents-fr.png", "fr", "/documents"),
    ("document-pdf-fr.png", "fr", "/documents/attestation-droits-ameli.pdf"),
    ("print-fr.png", "fr", "/documents/attestation-droits-ameli.pdf/imprimer"),
    ("unreachable-ar.png", "ar", "/injoignable?site=caf&cause=dns"),
]


def sample_session(folder: Path) -> MemorySession:
    downloads = folder / "downloads"
    downloads.mkdir()
    (downloads / "attestation-droits-ameli.pdf").write_bytes(make_pdf(
        text="Attestation de droits"))
    (downloads / "avis-impot-2025.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 210_000)
    session = MemorySession(downloads)
    session.request_start()
    return session


def take(out: Path) -> list[Path]:
    """Write the screenshots into `out` and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        session = sample_session(Path(tmp))
        app = create_app({"PORTAL_SESSION": session,
                          "PORTAL_ASSOCIATION": "Centre social du quartier"})
        with BackgroundServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=[*chromium_args(), "--hide-scrollbars"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            written = []
            for name, lang, path in SHOTS:
                session.set_language(lang)
                page.goto(server.url + path)
                if page.locator("[data-pdf]").count():
                    page.wait_for_selector("[data-pdf-state]", timeout=15000)
                page.screenshot(path=str(out / name))
                written.append(out / name)
            browser.close()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for path in take(target):
        print(path)
