"""The resident's document journey in the real window with the real portal: a site shows an
attestation (a PDF opened in the page), the kiosk keeps it, the portal's viewer draws it on
screen, Ctrl+P prints the document file itself after saying its page count, and "Mes documents"
in the toolbar opens the portal's list. Twice, for two residents of a kept window."""

from __future__ import annotations

import time

import pytest
from flask import request

from core.events import ListSink
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession
from tests.launcher.harness import Launcher, catalogue_text, wait_until, xdotool
from tests.pdfs import PAGE_COLOURS, make_pdf
from tests.pixels import screen

FAKE_LP = ("#!/bin/sh\nPATH=/usr/bin:/bin\nfor last; do :; done\n"
           "cp \"$last\" \"$(dirname \"$0\")/printed\"\n")
CAF_PAGE = """<!doctype html><style>a{display:block;height:500px;background:#eee;font-size:40px}
</style><a href="/attestation.pdf">Voir mon attestation</a>"""
RED = PAGE_COLOURS[0]


@pytest.fixture
def kiosk(display, fake_sites, tmp_path, monkeypatch):
    """A kept window whose home is the real portal (which opens the CAF tile at once), the
    portal sharing the window's session downloads, and a fake `lp` for the portal."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "lp").write_text(FAKE_LP)
    (bin_dir / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    fake_sites.page("caf.localhost", "/", CAF_PAGE)
    fake_sites.add("caf.localhost", "/attestation.pdf", make_pdf(), content_type="application/pdf",
                   headers={"Content-Disposition": 'inline; filename="attestation.pdf"'})
    policy = tmp_path / "portal-policy.toml"
    text = catalogue_text(fake_sites.port)  # the sites', not the portal's port
    policy.write_text(text)
    base = tmp_path / "kiosk"
    session = MemorySession(base / "session" / "downloads", sink=ListSink())
    session.request_start()
    app = create_app({"PORTAL_SESSION": session, "PORTAL_POLICY": str(policy)})
    paths: list[str] = []
    app.before_request(lambda: paths.append(request.path) and None)
    with BackgroundServer(app) as server:
        launcher = Launcher(base, server.url + "/ouvrir/caf", display,
                            extra_args=["--portal", server.url, "--kept"], policy_text=text)
        try:
            launcher.wait_event("ready", timeout=30)
            yield launcher, session, paths, bin_dir
        finally:
            launcher.stop()


def red_on_screen(display) -> float:
    return screen(display).share(RED, box=(0, 60, 1280, 800))


def test_attestation_is_kept_viewed_printed_for_two_residents(kiosk, display, fake_sites):
    launcher, session, paths, bin_dir = kiosk
    pdf = make_pdf()
    seen_home = len(fake_sites.requests("caf.localhost", "/"))
    for resident in (1, 2):
        if resident == 1:
            launcher.send(op="home")  # a known start: the CAF page freshly loaded
        fake_sites.wait_for("caf.localhost", "/", count=seen_home + 1)
        time.sleep(0.8)
        mark = launcher.mark()
        xdotool("mousemove", "640", "300", "click", "1", display=display)  # the attestation link
        launcher.wait_event("download", since=mark, detail="accepted")
        saved = launcher.session / "downloads" / "attestation.pdf"
        assert saved.read_bytes() == pdf
        assert red_on_screen(display) < 0.01  # not shown yet: Chromium's viewer stays off
        time.sleep(0.5)
        xdotool("key", "Return", display=display)  # "Voir le document" has the focus
        wait_until(lambda: red_on_screen(display) > 0.2, what="the PDF's own content on screen")
        assert paths[-1] == "/documents/attestation.pdf/fichier" or \
            "/documents/attestation.pdf" in paths

        xdotool("key", "ctrl+p", display=display)  # on a document: the portal's confirmation
        wait_until(lambda: "/documents/attestation.pdf/imprimer" in paths, what="confirmation")
        time.sleep(1)
        xdotool("key", "Return", display=display)  # "Imprimer" has the focus
        wait_until(lambda: (bin_dir / "printed").exists(), what="a print job")
        assert (bin_dir / "printed").read_bytes() == pdf  # the document itself, not a picture
        assert [e.detail for e in session.sink.events if e.kind == "print"] == ["sent"] * resident
        (bin_dir / "printed").unlink()

        seen_home = len(fake_sites.requests("caf.localhost", "/"))
        launcher.send(op="home")  # back to the CAF site, then the toolbar's "Mes documents"
        fake_sites.wait_for("caf.localhost", "/", count=seen_home + 1)
        time.sleep(0.8)
        before = len(paths)
        xdotool("mousemove", "188", "28", "click", "1", display=display)
        wait_until(lambda start=before: "/documents" in paths[start:], what="the document list")

        # the supervisor's wipe and the next resident
        saved.unlink()
        session.finish("user")
        session.request_start()
        mark = launcher.mark()
        seen_home = len(fake_sites.requests("caf.localhost", "/"))
        launcher.send(op="clear")  # the new profile opens HOME: the CAF page again
        launcher.wait_event("cleared", since=mark)


FRAMED_PAGE = """<!doctype html><style>body{margin:0}iframe{display:block;border:0}</style>
<iframe src="/attestation.pdf" width="600" height="400"></iframe>"""


def test_attestation_shown_in_a_frame_is_kept_and_viewable(kiosk, display, fake_sites):
    """A site showing the PDF inside its page: Chromium's own viewer stays off, its "Ouvrir"
    keeps the document, and "Voir le document" shows it in the portal's viewer."""
    launcher, _session, _paths, _bin_dir = kiosk
    fake_sites.page("caf.localhost", "/", FRAMED_PAGE)
    seen = len(fake_sites.requests("caf.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("caf.localhost", "/", count=seen + 1)
    time.sleep(1.5)
    assert red_on_screen(display) < 0.01  # no plugin draws it in the page
    mark = launcher.mark()
    xdotool("mousemove", "300", "279", "click", "1", display=display)  # the frame's "Ouvrir"
    launcher.wait_event("download", since=mark, detail="accepted")
    assert (launcher.session / "downloads" / "attestation.pdf").read_bytes() == make_pdf()
    time.sleep(0.5)
    xdotool("key", "Return", display=display)  # "Voir le document"
    wait_until(lambda: red_on_screen(display) > 0.2, what="the PDF's own content on screen")
