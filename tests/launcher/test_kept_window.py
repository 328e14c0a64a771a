"""The window kept between residents (`--kept`, as the supervisor runs it): after `clear`, every
feature works for the next resident exactly as for the first, and nothing of the first one's
choices (zoom, unlocked site) is left."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.fakesites import FakeSites
from tests.launcher.harness import FAKE_LP, Launcher, run_scenario, xdotool

pytestmark = pytest.mark.gui

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def kept(display: str, fake_sites: FakeSites, tmp_path_factory) -> Iterator[Launcher]:
    home = fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    launcher = Launcher(tmp_path_factory.mktemp("kept"), home, display, extra_args=["--kept"])
    (launcher.bin / "lp").write_text(FAKE_LP)
    (launcher.bin / "lp").chmod(0o755)
    try:
        launcher.wait_event("ready", timeout=30)
        yield launcher
    finally:
        launcher.stop()


def next_resident(launcher: Launcher, fake_sites: FakeSites) -> None:
    """What the supervisor does between two residents (the fake portal's home is a plain
    welcome again, not the last scenario)."""
    fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    mark = launcher.mark()
    launcher.send(op="clear")
    launcher.wait_event("cleared", since=mark, timeout=15)
    launcher.wait_event("ready", since=mark, timeout=30)


def print_page(launcher: Launcher, fake_sites: FakeSites, display: str) -> str:
    """Ctrl+P on a page, "Imprimer" confirmed with Return: the print event's detail."""
    run_scenario(launcher, fake_sites, "<p>attestation</p>")
    time.sleep(0.5)
    mark = launcher.mark()
    xdotool("mousemove", "640", "400", "key", "ctrl+p", display=display)
    time.sleep(0.5)
    xdotool("key", "Return", display=display)  # "Imprimer" has the focus
    try:
        return launcher.wait_event("print", since=mark, timeout=20).detail
    except AssertionError:
        return "nothing"


def download(launcher: Launcher, fake_sites: FakeSites, name: str) -> str:
    url = fake_sites.add("portal.localhost", f"/{name}", PDF, content_type="application/pdf",
                         headers={"Content-Disposition": f'attachment; filename="{name}"'})
    mark = run_scenario(launcher, fake_sites, f"<a href='{url}' download>doc</a><script>onload="
                        "()=>setTimeout(()=>document.querySelector('a').click(),100)</script>")
    return launcher.wait_event("download", since=mark, timeout=20).detail


def test_printing_works_for_every_resident_of_the_kept_window(kept, fake_sites, display):
    outcomes = []
    for _resident in range(3):
        outcomes.append(print_page(kept, fake_sites, display))
        next_resident(kept, fake_sites)
    assert outcomes == ["sent"] * 3
    assert kept.proc.poll() is None


def test_downloads_reach_each_resident_own_documents(kept, fake_sites, display):
    for resident in range(2):
        assert download(kept, fake_sites, f"avis-{resident}.pdf") == "accepted"
        saved = sorted(p.name for p in (kept.session / "downloads").iterdir())
        assert f"avis-{resident}.pdf" in saved
        for path in (kept.session / "downloads").iterdir():
            path.unlink()  # the supervisor's wipe, between residents
        next_resident(kept, fake_sites)
    assert list((kept.session / "downloads").iterdir()) == []


def widths(fake_sites: FakeSites) -> list[int]:
    return [int(r.path.rsplit("/", 1)[-1]) for r in fake_sites.requests("portal.localhost")
            if r.path.startswith("/width/")]


def measured_width(launcher: Launcher, fake_sites: FakeSites) -> int:
    seen = len(widths(fake_sites))
    run_scenario(launcher, fake_sites, "<script>onload=()=>fetch('/width/'+innerWidth)</script>")
    deadline = time.monotonic() + 15
    while len(widths(fake_sites)) == seen:
        assert time.monotonic() < deadline, "the page never reported its width"
        time.sleep(0.05)
    return widths(fake_sites)[-1]


def test_zoom_is_back_to_normal_for_the_next_resident(kept, fake_sites, display):
    normal = measured_width(kept, fake_sites)
    xdotool("mousemove", "640", "400", "key", "--delay", "150", "ctrl+plus", "ctrl+plus",
            display=display)
    time.sleep(0.5)
    assert measured_width(kept, fake_sites) < normal  # zoomed: fewer CSS pixels across
    next_resident(kept, fake_sites)
    assert measured_width(kept, fake_sites) == normal


def test_a_site_unlocked_for_one_resident_is_closed_to_the_next(kept, fake_sites):
    extra = fake_sites.page("ants.localhost", "/", "<h1>ANTS</h1>")
    kept.send(op="allow_site", site_id="ants", hosts=[f"ants.localhost:{fake_sites.port}"])
    time.sleep(0.3)
    seen = len(fake_sites.requests("ants.localhost", "/"))
    run_scenario(kept, fake_sites, f"<script>location.href='{extra}'</script>")
    fake_sites.wait_for("ants.localhost", "/", count=seen + 1)
    next_resident(kept, fake_sites)
    mark = kept.mark()
    run_scenario(kept, fake_sites, f"<script>location.href='{extra}'</script>")
    kept.wait_event("navigation_refused", since=mark, timeout=15)
    assert len(fake_sites.requests("ants.localhost", "/")) == seen + 1


def test_clear_with_a_notice_shows_it_then_welcome_and_is_ready_only_then(kept, fake_sites):
    fake_sites.page("portal.localhost", "/fin/effacee", "<h1>Session effacée</h1>")
    fake_sites.add("portal.localhost", "/history", "ok", content_type="text/plain")
    fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1><script>onload=()=>setTimeout("
                    "()=>fetch('/history?n='+history.length),1000)</script>")
    histories = len(fake_sites.requests("portal.localhost", "/history"))
    notices = len(fake_sites.requests("portal.localhost", "/fin/effacee"))
    homes = len(fake_sites.requests("portal.localhost", "/"))
    mark = kept.mark()
    kept.send(op="clear", notice="/fin/effacee?langue=ar", seconds=2)
    kept.wait_event("cleared", since=mark)
    cleared = time.monotonic()
    fake_sites.wait_for("portal.localhost", "/fin/effacee", count=notices + 1)
    assert fake_sites.requests("portal.localhost", "/fin/effacee")[-1].query == "langue=ar"
    kept.wait_event("ready", since=mark, timeout=30)
    assert time.monotonic() - cleared >= 1.8  # the notice stayed on screen
    assert len(fake_sites.requests("portal.localhost", "/")) == homes + 1
    # The next resident's history starts at the welcome page: no Back to the notice.
    fake_sites.wait_for("portal.localhost", "/history", count=histories + 1)
    assert fake_sites.requests("portal.localhost", "/history")[-1].query == "n=1"


def test_a_notice_elsewhere_than_the_home_origin_is_ignored(kept, fake_sites):
    seen = len(fake_sites.requests("evil.localhost"))
    mark = kept.mark()
    kept.send(op="clear", notice="//evil.localhost/", seconds=2)
    kept.wait_event("ready", since=mark, timeout=30)
    assert len(fake_sites.requests("evil.localhost")) == seen


def test_printing_and_downloads_turned_off_are_refused_plainly_and_counted(kept, fake_sites,
                                                                           display):
    kept.send(op="features", downloads=False, printing=False)
    try:
        assert print_page(kept, fake_sites, display) == "no_printer"  # no confirmation, no lp
        assert download(kept, fake_sites, "refuse.pdf") == "refused"
        assert not (kept.session / "downloads" / "refuse.pdf").exists()
        # The toolbar has no "Imprimer" button: a click where it was prints nothing.
        caf = fake_sites.page("caf.localhost", "/page", "<p>caf</p>")
        run_scenario(kept, fake_sites, f"<script>location.href='{caf}'</script>")
        fake_sites.wait_for("caf.localhost", "/page")
        time.sleep(0.5)
        mark = kept.mark()
        xdotool("mousemove", "330", "28", "click", "1", display=display)
        time.sleep(1.5)
        assert "print" not in kept.kinds(mark)
    finally:
        kept.send(op="features", downloads=True, printing=True)
    assert print_page(kept, fake_sites, display) == "sent"
    assert download(kept, fake_sites, "accepte.pdf") == "accepted"
