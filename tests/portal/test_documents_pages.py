"""Mes documents: list, view, delete and copy the session's downloads; nothing outside them."""

from __future__ import annotations

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a5d80000000049454e44ae426082")


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("not the resident's")
    return path


def test_no_documents_says_so_and_no_usb_key(client):
    html = client.get("/documents").get_data(as_text=True)
    assert "Vous n&#39;avez encore aucun document." in html \
        or "Vous n'avez encore aucun document." in html
    assert "Aucune clé USB" in html


def test_downloads_are_listed_with_view_and_delete(client, downloads):
    (downloads / "attestation CAF.pdf").write_bytes(PDF)
    (downloads / ".partial").write_bytes(b"x")
    html = client.get("/documents").get_data(as_text=True)
    assert "attestation CAF.pdf" in html and ".partial" not in html
    assert 'href="/documents/attestation%20CAF.pdf"' in html
    assert 'href="/documents/attestation%20CAF.pdf/supprimer"' in html


def test_pdf_is_shown_inside_the_portal_with_a_print_button(client, downloads):
    (downloads / "avis.pdf").write_bytes(PDF)
    html = client.get("/documents/avis.pdf").get_data(as_text=True)
    assert 'data-pdf="/documents/avis.pdf/fichier"' in html
    assert "/documents/avis.pdf/imprimer" in html
    with client.get("/documents/avis.pdf/fichier") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.get_data() == PDF


def test_image_is_shown_inside_the_portal(client, downloads):
    (downloads / "photo.png").write_bytes(PNG)
    html = client.get("/documents/photo.png").get_data(as_text=True)
    assert '<img id="viewer"' in html
    with client.get("/documents/photo.png/fichier") as response:
        assert response.mimetype == "image/png"


@pytest.mark.parametrize("name", ["page.html", "dessin.svg", "notes.txt"])
def test_documents_that_could_run_script_are_never_served_inline(client, downloads, name):
    (downloads / name).write_text("<script>alert(1)</script>")
    assert "ne peut pas être affiché ici" in client.get(f"/documents/{name}").get_data(as_text=True)
    assert client.get(f"/documents/{name}/fichier").status_code == 404


def test_missing_document_is_a_clear_404(client):
    response = client.get("/documents/absent.pdf")
    assert response.status_code == 404
    assert "Le document a peut-être été supprimé." in response.get_data(as_text=True)


@pytest.mark.parametrize("name", [
    "..%2Fsecret.txt", "..%2f..%2fetc%2fpasswd", "%2E%2E%2Fsecret.txt", "..", ".",
    "..%5Csecret.txt", "%00secret.txt", "/etc/passwd", "sub%2F..%2F..%2Fsecret.txt",
])
@pytest.mark.parametrize("suffix", ["", "/fichier", "/supprimer"])
def test_path_traversal_in_document_names_is_refused(client, secret, name, suffix):
    with client.get(f"/documents/{name}{suffix}") as response:
        assert response.status_code in (404, 308)
        assert b"not the resident" not in response.get_data()
    with client.post(f"/documents/{name}/supprimer") as response:
        assert response.status_code in (404, 405, 308)
    assert secret.exists()


def test_symlink_leaving_the_downloads_dir_is_refused(client, downloads, secret):
    (downloads / "lien.pdf").symlink_to(secret)
    assert client.get("/documents/lien.pdf/fichier").status_code == 404
    assert client.post("/documents/lien.pdf/supprimer").status_code == 404
    assert "lien.pdf" not in client.get("/documents").get_data(as_text=True)
    assert secret.exists()


def test_delete_asks_first_then_removes_the_file(client, downloads):
    (downloads / "vieux.pdf").write_bytes(PDF)
    html = client.get("/documents/vieux.pdf/supprimer").get_data(as_text=True)
    assert "Supprimer ce document ?" in html and "Non, garder" in html
    assert (downloads / "vieux.pdf").exists()
    response = client.post("/documents/vieux.pdf/supprimer")
    assert response.status_code == 303
    assert not (downloads / "vieux.pdf").exists()
    assert "Le document a été supprimé." \
        in client.get(response.headers["Location"]).get_data(as_text=True)


def test_deleting_a_missing_document_is_404(client):
    assert client.post("/documents/absent.pdf/supprimer").status_code == 404


def test_copy_without_usb_key_says_no_key(client, downloads):
    (downloads / "a.pdf").write_bytes(PDF)
    response = client.post("/documents/a.pdf/copier")
    assert "message=no_usb" in response.headers["Location"]
    assert "Aucune clé USB. Branchez" \
        in client.get(response.headers["Location"]).get_data(as_text=True)


def test_copy_to_usb_key_never_overwrites(client, session, downloads, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "a.pdf").write_bytes(b"old")
    session.usb = usb
    (downloads / "a.pdf").write_bytes(PDF)
    assert "Clé USB branchée" in client.get("/documents").get_data(as_text=True)
    response = client.post("/documents/a.pdf/copier")
    assert "message=copied" in response.headers["Location"]
    assert (usb / "a.pdf").read_bytes() == b"old"
    assert (usb / "a (2).pdf").read_bytes() == PDF


def test_unknown_status_message_keys_are_ignored(client):
    html = client.get("/documents?message=<b>hack</b>").get_data(as_text=True)
    assert "hack" not in html


def test_documents_page_in_arabic_is_rtl_and_translated(client, downloads):
    (downloads / "a.pdf").write_bytes(PDF)
    client.post("/langue", data={"lang": "ar"})
    html = client.get("/documents").get_data(as_text=True)
    assert 'dir="rtl"' in html and "مستنداتي" in html and "a.pdf" in html


def test_a_symlink_planted_on_the_key_is_never_followed(client, session, downloads, tmp_path,
                                                        secret):
    """A key can carry links named like the next copy: one to a file of the terminal, one
    dangling to where a new file would be created. The copy writes neither; it lands on the key
    as a plain file under a free name, and the next copy works as usual."""
    usb = tmp_path / "usb"
    usb.mkdir()
    planted = tmp_path / "planted-by-the-key"
    (usb / "a.pdf").symlink_to(secret)
    (usb / "a (2).pdf").symlink_to(planted)
    session.usb = usb
    (downloads / "a.pdf").write_bytes(PDF)
    response = client.post("/documents/a.pdf/copier")
    assert "message=copied" in response.headers["Location"]
    assert secret.read_text() == "not the resident's" and not planted.exists()
    copy = usb / "a (3).pdf"
    assert not copy.is_symlink() and copy.read_bytes() == PDF
    (downloads / "b.png").write_bytes(PNG)
    assert "message=copied" in client.post("/documents/b.png/copier").headers["Location"]
    assert (usb / "b.png").read_bytes() == PNG


def test_a_key_whose_folder_is_a_symlink_gets_nothing(client, session, downloads, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "usb").symlink_to(elsewhere, target_is_directory=True)
    session.usb = tmp_path / "usb"
    (downloads / "a.pdf").write_bytes(PDF)
    response = client.post("/documents/a.pdf/copier")
    assert "message=copy_failed" in response.headers["Location"]
    assert list(elsewhere.iterdir()) == []
    assert client.get("/documents").status_code == 200


def _links(client) -> list[str]:
    import re

    html = client.get("/documents").get_data(as_text=True)
    return [h for h in re.findall(r'href="(/documents/[^"/]+)"', html)]


def test_a_downloaded_name_with_a_line_break_is_listed_viewed_and_copied(client, session,
                                                                          downloads, tmp_path):
    """A site can name its download 'relevé\\n2025.pdf': the line break went into the
    Content-Disposition header (HTTP 500 on /fichier). The name is neutralised where it comes
    in, and the header follows RFC 6266 (filename*= for the accent)."""
    from werkzeug.http import parse_options_header

    (downloads / "relevé\n2025.pdf").write_bytes(PDF)
    [link] = _links(client)
    assert link == "/documents/relev%C3%A9%202025.pdf"
    with client.get(link + "/fichier") as response:
        assert response.status_code == 200 and response.get_data() == PDF
        kind, options = parse_options_header(response.headers["Content-Disposition"])
        assert kind == "inline" and options["filename"] == "relevé 2025.pdf"
        assert "\n" not in response.headers["Content-Disposition"]
    usb = tmp_path / "usb"
    usb.mkdir()
    session.usb = usb
    assert "message=copied" in client.post(link + "/copier").headers["Location"]
    assert [p.name for p in usb.iterdir()] == ["relevé 2025.pdf"]


def test_a_bidi_override_cannot_disguise_a_downloaded_file(client, session, downloads,
                                                           tmp_path):
    """'relevé' + U+202E + 'fdp.exe' displays as 'relevéexe.pdf': the override is removed from
    the name on the terminal (and on the key), so it reads as what it is."""
    (downloads / "relevé\u202efdp.exe").write_text("MZ")
    (downloads / "avis\u2067\u200f.pdf").write_bytes(PDF)
    html = client.get("/documents").get_data(as_text=True)
    assert "\u202e" not in html and "\u2067" not in html and "relevéfdp.exe" in html
    assert sorted(p.name for p in downloads.iterdir()) == ["avis.pdf", "relevéfdp.exe"]
    usb = tmp_path / "usb"
    usb.mkdir()
    session.usb = usb
    client.post("/documents/relev%C3%A9fdp.exe/copier")
    assert [p.name for p in usb.iterdir()] == ["relevéfdp.exe"]
    assert client.get("/documents/relev%C3%A9%E2%80%AEfdp.exe").status_code == 404
