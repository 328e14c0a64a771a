"""Downloads land in D/downloads under a safe unique name; executables and archives are refused."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.launcher.harness import run_scenario

pytestmark = pytest.mark.gui

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


def archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("run.sh", "#!/bin/sh\n")
    return buffer.getvalue()


def serve(fake_sites, path, body, content_type, disposition=None):
    headers = {"Content-Disposition": disposition} if disposition else {}
    return fake_sites.add("portal.localhost", path, body, content_type=content_type,
                          headers=headers)


def download_all(launcher, fake_sites, urls):
    """Click one download link per URL from the page; wait for one download event each."""
    links = "".join(f"<a href='{u}' download>{i}</a>" for i, u in enumerate(urls))
    mark = run_scenario(launcher, fake_sites, links + "<script>onload=()=>document"
                        ".querySelectorAll('a').forEach((a,i)=>setTimeout(()=>a.click(),i*150))"
                        "</script>")
    wait_count(launcher, mark, len(urls))
    return sorted(e.detail for e in launcher.events[mark:] if e.kind == "download")


def wait_count(launcher, mark, count, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if launcher.kinds(mark).count("download") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"only {launcher.kinds(mark).count('download')} downloads")


def test_document_is_saved_without_dialog_under_a_sanitized_name(launcher, fake_sites):
    urls = [serve(fake_sites, "/d1", PDF, "application/pdf",
                  'attachment; filename="../../../../tmp/escape-plain.pdf"'),
            serve(fake_sites, "/d2", PDF, "application/pdf",
                  "attachment; filename*=UTF-8''..%2F..%2F..%2Fescape-star.pdf"),
            serve(fake_sites, "/releve", PDF, "application/octet-stream")]
    assert download_all(launcher, fake_sites, urls) == ["accepted"] * 3
    saved = sorted(p.name for p in (launcher.session / "downloads").iterdir())
    assert saved == ["escape-plain.pdf", "escape-star.pdf", "releve.pdf"]
    assert list((launcher.session / "tmp" / "incoming").iterdir()) == []
    assert not list(launcher.session.parent.glob("escape*"))


def test_same_name_twice_gets_a_unique_name(launcher, fake_sites):
    url = serve(fake_sites, "/twice", PDF, "application/pdf", 'attachment; filename="twice.pdf"')
    assert download_all(launcher, fake_sites, [url, url]) == ["accepted"] * 2
    saved = sorted(p.name for p in (launcher.session / "downloads").iterdir() if "twice" in p.name)
    assert saved == ["twice (2).pdf", "twice.pdf"]


@pytest.mark.parametrize("name,body,content_type", [
    ("setup.exe", EXE, "application/octet-stream"),
    ("facture.pdf", EXE, "application/pdf"),           # an executable disguised as a PDF
    ("papiers.zip", archive(), "application/zip"),
    ("installer.sh", b"#!/bin/sh\nrm -rf /\n", "text/plain"),
    ("note.txt", EXE, "text/plain"),                      # binary content named .txt
])
def test_executables_scripts_and_archives_are_refused(launcher, fake_sites, name, body,
                                                      content_type):
    url = serve(fake_sites, f"/refuse/{name}", body, content_type,
                f'attachment; filename="{name}"')
    assert download_all(launcher, fake_sites, [url]) == ["refused"]
    stem = name.rsplit(".", 1)[0]
    assert not [p for p in launcher.session.rglob(f"{stem}*")]
    assert list((launcher.session / "tmp" / "incoming").iterdir()) == []


@pytest.mark.parametrize("opener", ["window.open(url)", "location.href = url"])
def test_generated_pdf_opened_as_blob_is_saved_as_a_document(launcher, fake_sites, opener):
    page = fake_sites.page("caf.localhost", "/blob", "<script>onload = () => {"
                           f"const url = URL.createObjectURL(new Blob([{PDF.decode()!r}], "
                           "{type: 'application/pdf'})); " + opener + "; };</script>")
    before = set((launcher.session / "downloads").iterdir())
    mark = run_scenario(launcher, fake_sites, f"<script>location.href='{page}'</script>")
    assert launcher.wait_event("download", since=mark).detail == "accepted"
    (new,) = set((launcher.session / "downloads").iterdir()) - before
    assert new.suffix == ".pdf" and new.read_bytes() == PDF
