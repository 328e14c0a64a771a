"""Small real PDFs for tests: each page a big block of one colour and a line of text, so a
screenshot can tell which page is on screen and `lp` can be shown to receive the file itself."""

from __future__ import annotations

# RGB 0..1 of each page's block; far apart so pixels tell them apart.
PAGE_COLOURS = ((0.85, 0.1, 0.1), (0.1, 0.6, 0.2), (0.1, 0.2, 0.85))


def make_pdf(colours=PAGE_COLOURS, text: str = "Attestation de paiement") -> bytes:
    """A valid PDF (cross-reference table with true offsets) of len(colours) A4 pages."""
    count = len(colours)
    objects: list[bytes] = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[" + b" ".join(f"{3 + 2 * i} 0 R".encode() for i in range(count))
        + f"]/Count {count}>>".encode(),
    ]
    font = 3 + 2 * count
    for i, (r, g, b) in enumerate(colours):
        stream = (f"{r} {g} {b} rg 60 300 475 450 re f "
                  f"BT /F1 28 Tf 0 0 0 rg 60 780 Td ({text} - page {i + 1}) Tj ET").encode()
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                       f"/Resources<</Font<</F1 {font} 0 R>>>>/Contents {4 + 2 * i} 0 R>>"
                       .encode())
        objects.append(f"<</Length {len(stream)}>>stream\n".encode() + stream
                       + b"\nendstream")
    objects.append(b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)
