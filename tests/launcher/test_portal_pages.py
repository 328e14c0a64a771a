"""Which portal page the window opens: documents list, one document, its print confirmation."""

from __future__ import annotations

import pytest

from launcher import portal_pages

PORTAL = "http://127.0.0.1:8765"


def test_document_names_are_quoted_whole():
    assert portal_pages.document(PORTAL, "avis d'impôt/2025.pdf") \
        == f"{PORTAL}/documents/avis%20d%27imp%C3%B4t%2F2025.pdf"


def test_print_on_a_portal_document_goes_to_its_confirmation():
    assert portal_pages.print_target(PORTAL, f"{PORTAL}/documents/avis%20CAF.pdf") \
        == f"{PORTAL}/documents/avis%20CAF.pdf/imprimer"


@pytest.mark.parametrize("url", [
    f"{PORTAL}/documents", f"{PORTAL}/accueil", f"{PORTAL}/documents/a.pdf/supprimer",
    "http://caf.localhost/documents/a.pdf", "http://127.0.0.1:9999/documents/a.pdf",
])
def test_print_anywhere_else_prints_the_page(url):
    assert portal_pages.print_target(PORTAL, url) is None
