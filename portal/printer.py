"""Print a resident's document itself (the PDF or image file) on the association's printer.

The file goes to `lp` as it is: CUPS prints PDFs and images natively, so what comes out of the
printer is the document, never a picture of the page that shows it. The page count is read
before, so the resident is told what will come out ("3 pages : Imprimer ?").
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from core.printing import lp_command, lp_outcome

log = logging.getLogger(__name__)
LP_TIMEOUT = 30.0


class NotPrintable(ValueError):
    """The file is not a document the printer can take (a damaged PDF, an unknown kind)."""


def page_count(path: Path, kind: str) -> int:
    """Pages that will come out of the printer: an image is one page; a PDF is read with pypdf
    (a well-kept pure-Python parser: cross-reference streams and object streams included, where
    counting "/Type /Page" by hand would be wrong)."""
    if kind == "image":
        return 1
    if kind != "pdf":
        raise NotPrintable(kind)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        count = len(PdfReader(path, strict=False).pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("document not printable: %s", type(exc).__name__)
        raise NotPrintable("unreadable pdf") from exc
    if count < 1:
        raise NotPrintable("no pages")
    return count


def send(path: Path, timeout: float = LP_TIMEOUT) -> str:
    """Send the file itself to the default printer; "sent", "no_printer" or "failed"."""
    lp = shutil.which("lp")
    if lp is None:
        return "no_printer"
    try:
        result = subprocess.run(lp_command(lp, path), stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lp did not run: %s", type(exc).__name__)
        return "failed"
    outcome = lp_outcome(result.returncode, result.stderr.decode("utf-8", "replace"))
    if outcome == "failed":
        log.warning("lp refused the document (exit %d)", result.returncode)
    return outcome
