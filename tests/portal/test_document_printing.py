"""Printing a document sends the file itself to `lp`, after saying how many pages will come out."""

from __future__ import annotations

import os

import pytest

from tests.pdfs import make_pdf

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a5d80000000049454e44ae426082")
FAKE_LP = ("#!/bin/sh\nPATH=/usr/bin:/bin\n"
           "printf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/lp.calls\"\n"
           "for last; do :; done\ncp \"$last\" \"$(dirname \"$0\")/printed\"\n")
FAILING_LP = "#!/bin/sh\necho 'lp: Error - printer jammed' >&2\nexit 1\n"
NO_DEFAULT_LP = "#!/bin/sh\necho 'lp: Error - no default destination available.' >&2\nexit 1\n"


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """The only directory on PATH: no `lp` unless a test writes one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def fake_bin(bin_dir):
    """fake_bin(script) puts an `lp` on PATH and returns its directory."""
    def write_lp(script: str = FAKE_LP):
        (bin_dir / "lp").write_text(script)
        (bin_dir / "lp").chmod(0o755)
        return bin_dir

    return write_lp


def prints(events):
    return [e.detail for e in events if e.kind == "print"]


def test_confirmation_says_how_many_pages_before_printing(client, downloads, fake_bin):
    folder = fake_bin()
    (downloads / "attestation.pdf").write_bytes(make_pdf())
    html = client.get("/documents/attestation.pdf/imprimer").get_data(as_text=True)
    assert "3 pages : Imprimer ?" in html
    assert 'action="/documents/attestation.pdf/imprimer"' in html
    assert not (folder / "lp.calls").exists()  # asking is not printing


def test_one_page_pdf_says_one_page(client, downloads, fake_bin):
    fake_bin()
    (downloads / "avis.pdf").write_bytes(make_pdf(colours=((1, 0, 0),)))
    assert "1 page : Imprimer ?" in client.get("/documents/avis.pdf/imprimer").get_data(
        as_text=True)


def test_arabic_confirmation_is_translated(client, downloads, session, fake_bin):
    fake_bin()
    session.set_language("ar")
    (downloads / "attestation.pdf").write_bytes(make_pdf())
    html = client.get("/documents/attestation.pdf/imprimer").get_data(as_text=True)
    assert "Imprimer ?" not in html and 'dir="rtl"' in html


def test_printing_sends_the_document_file_itself_to_lp(client, downloads, events, fake_bin):
    folder = fake_bin()
    pdf = make_pdf()
    (downloads / "attestation.pdf").write_bytes(pdf)
    response = client.post("/documents/attestation.pdf/imprimer")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/documents/attestation.pdf?message=printed")
    assert (folder / "printed").read_bytes() == pdf
    calls = (folder / "lp.calls").read_text().splitlines()
    assert calls[:2] == ["-t", "borne"]  # a neutral job title, never the file name
    assert prints(events) == ["sent"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Impression lancée" in html
    assert (downloads / "attestation.pdf").read_bytes() == pdf  # the document stays


def test_images_print_too(client, downloads, events, fake_bin):
    folder = fake_bin()
    (downloads / "photo.png").write_bytes(PNG)
    assert "1 page : Imprimer ?" in client.get("/documents/photo.png/imprimer").get_data(
        as_text=True)
    client.post("/documents/photo.png/imprimer")
    assert (folder / "printed").read_bytes() == PNG and prints(events) == ["sent"]


def test_damaged_pdf_is_explained_and_never_sent(client, downloads, events, fake_bin):
    folder = fake_bin()
    (downloads / "abime.pdf").write_bytes(b"%PDF-1.4\nthis is not a pdf at all")
    response = client.get("/documents/abime.pdf/imprimer")
    assert response.status_code == 422
    assert "ne peut pas être imprimé" in response.get_data(as_text=True)
    assert client.post("/documents/abime.pdf/imprimer").status_code == 422
    assert not (folder / "lp.calls").exists() and prints(events) == []


def test_documents_that_are_not_pdf_or_image_cannot_be_printed(client, downloads, fake_bin):
    folder = fake_bin()
    (downloads / "notes.txt").write_text("bonjour")
    assert client.post("/documents/notes.txt/imprimer").status_code == 422
    assert not (folder / "lp.calls").exists()


@pytest.mark.parametrize(("script", "outcome", "message", "text"), [
    (FAILING_LP, "failed", "print_failed", "pas marché"),
    (NO_DEFAULT_LP, "no_printer", "no_printer", "Aucune imprimante"),
    (None, "no_printer", "no_printer", "Aucune imprimante"),
])
def test_print_problems_are_said_plainly_and_counted(client, downloads, events, fake_bin,
                                                     script, outcome, message, text):
    if script is not None:
        fake_bin(script)
    else:
        assert not os.listdir(os.environ["PATH"])  # no lp at all
    (downloads / "attestation.pdf").write_bytes(make_pdf())
    response = client.post("/documents/attestation.pdf/imprimer")
    assert response.headers["Location"].endswith(f"?message={message}")
    assert text in client.get(response.headers["Location"]).get_data(as_text=True)
    assert prints(events) == [outcome]


def test_document_page_prints_through_the_portal_not_the_browser(client, downloads):
    (downloads / "attestation.pdf").write_bytes(make_pdf())
    html = client.get("/documents/attestation.pdf").get_data(as_text=True)
    assert 'href="/documents/attestation.pdf/imprimer"' in html
    assert "<iframe" not in html  # Chromium's PDF plugin is off in the kiosk: never embed
    assert 'data-pdf="/documents/attestation.pdf/fichier"' in html


def test_printing_turned_off_by_the_mediator_hides_the_button_and_refuses_plainly(
        app, client, downloads, events, fake_bin):
    folder = fake_bin()
    (downloads / "attestation.pdf").write_bytes(make_pdf())
    assert "/imprimer" in client.get("/documents/attestation.pdf").get_data(as_text=True)
    # what the settings page does when it is unticked
    app.extensions["kiosk_settings"].update(printing=False)
    page = client.get("/documents/attestation.pdf").get_data(as_text=True)
    assert "/imprimer" not in page
    for response in (client.get("/documents/attestation.pdf/imprimer"),
                     client.post("/documents/attestation.pdf/imprimer")):
        assert response.status_code == 303
        assert response.headers["Location"].endswith("?message=no_printer")
    assert not (folder / "lp.calls").exists()
    assert prints(events) == ["no_printer", "no_printer"]
    html = client.get("/documents/attestation.pdf?message=no_printer").get_data(as_text=True)
    assert "Aucune imprimante n'est disponible" in html.replace("&#39;", "'")
