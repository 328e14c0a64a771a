"""Request size limits in one place: what each form may send, and what the server will read.

The app refuses an oversized form with 413 (Flask's MAX_CONTENT_LENGTH, raised per upload route),
but only once waitress has read the body; so waitress gets a cap of its own, just above the
largest body any route accepts, and refuses anything bigger as soon as the headers announce it
(or, for a chunked body, as soon as it grows past it), without spooling it to disk.
"""

from __future__ import annotations

FORM_LIMIT = 64 * 1024           # resident forms and ordinary mediator forms
LOGO_LIMIT = 512 * 1024          # the association's logo
CATALOGUE_LIMIT = 256 * 1024     # an imported catalogue file
MULTIPART_OVERHEAD = 8 * 1024    # boundaries, part headers, the CSRF token around a file
UPLOAD_LIMIT = max(LOGO_LIMIT, CATALOGUE_LIMIT) + MULTIPART_OVERHEAD


def waitress_limits(largest_body: int) -> dict[str, int]:
    """waitress options for a server whose routes accept at most `largest_body` bytes: bigger
    is refused by the server itself, and what it accepts stays in memory (no temp file)."""
    return {"max_request_body_size": largest_body, "inbuf_overflow": largest_body + 1}
