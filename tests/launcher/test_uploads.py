"""A page asking for a file gets the kiosk's picker: only this session's documents."""

from __future__ import annotations

import time

import pytest

from tests.launcher.harness import run_scenario, xdotool

pytestmark = pytest.mark.gui

PAGE = """<input type=file id=f {accept} style="display:block;width:100%;height:600px">
<script>
const f = document.getElementById("f");
f.onchange = () => fetch("/upload", {method: "POST",
  body: f.files.length ? f.files[0] : "none",
  headers: {"X-Name": f.files.length ? f.files[0].name : ""}});
f.addEventListener("cancel", () => fetch("/upload", {method: "POST", body: "cancel"}));
</script>"""


def upload(launcher, fake_sites, display, keys, accept=""):
    fake_sites.add("portal.localhost", "/upload", "ok", content_type="text/plain")
    seen = len(fake_sites.requests("portal.localhost", "/upload"))
    run_scenario(launcher, fake_sites, PAGE.replace("{accept}", accept))
    time.sleep(0.3)
    xdotool("mousemove", "640", "400", "click", "1", display=display)
    time.sleep(0.7)
    xdotool("mousemove", "640", "400", "key", *keys, display=display)
    return fake_sites.wait_for("portal.localhost", "/upload", count=seen + 1)[-1]


def test_page_receives_a_session_document_picked_in_the_kiosk_picker(launcher, fake_sites,
                                                                    display):
    downloads = launcher.session / "downloads"
    (downloads / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
    (downloads / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    request = upload(launcher, fake_sites, display, ["Return"], accept="accept='.pdf'")
    assert request.body == b"%PDF-1.4 attestation"
    assert request.headers["x-name"] == "attestation.pdf"


def test_cancelling_the_picker_sends_nothing(launcher, fake_sites, display):
    (launcher.session / "downloads" / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
    request = upload(launcher, fake_sites, display, ["Escape"])
    assert request.body in (b"cancel", b"none")


def test_save_and_folder_pickers_give_the_page_nothing(launcher, fake_sites, display):
    fake_sites.add("portal.localhost", "/picked", "ok", content_type="text/plain")
    seen = len(fake_sites.requests("portal.localhost", "/picked"))
    run_scenario(launcher, fake_sites, """
<button id=b style="display:block;width:100%;height:600px">x</button><script>
document.getElementById("b").onclick = async () => {
  const r = {};
  try { await showSaveFilePicker({suggestedName: "releve.pdf"}); r.save = "granted"; }
  catch (e) { r.save = e.name; }
  fetch("/picked", {method: "POST", body: JSON.stringify(r)});
};
</script>""")
    time.sleep(0.3)
    xdotool("mousemove", "640", "400", "click", "1", display=display)
    request = fake_sites.wait_for("portal.localhost", "/picked", count=seen + 1)[-1]
    assert b"granted" not in request.body
