"""Send a printed page (a PDF in the session directory) to the default CUPS printer with `lp`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NO_PRINTER = ("Aucune imprimante n'est disponible",
              "Cette borne n'a pas d'imprimante. Demandez de l'aide à un médiateur.")
FAILED = ("L'impression n'a pas marché",
          "Le document n'a pas pu être envoyé à l'imprimante. Demandez de l'aide à un médiateur.")
SENT = ("Impression lancée", "Votre page est envoyée à l'imprimante.")
MESSAGES = {"sent": SENT, "no_printer": NO_PRINTER, "failed": FAILED}
JOB_TITLE = "borne"  # never the page title: CUPS keeps job titles in its logs


def lp_command(lp: str, pdf: Path) -> list[str]:
    """Arguments for one job on the default destination, with a neutral title."""
    return [lp, "-t", JOB_TITLE, "--", str(pdf)]


_NO_PRINTER_HINTS = ("no default destination", "scheduler not responding",
                     "unable to connect", "not found", "does not exist")


def lp_outcome(returncode: int, stderr: str) -> str:
    """Event detail for an `lp` run:
    no CUPS or no default printer is "no_printer", not a failure."""
    if returncode == 0:
        return "sent"
    text = stderr.lower()
    return "no_printer" if any(hint in text for hint in _NO_PRINTER_HINTS) else "failed"


def printer_available() -> bool:
    """`lp` is installed (whether CUPS has a default printer is only known by trying)."""
    return shutil.which("lp") is not None


def send_to_printer(pdf: Path, timeout: float = 30.0) -> str:
    """Print `pdf` and delete it; return the event detail: sent, no_printer or failed."""
    try:
        lp = shutil.which("lp")
        if lp is None:
            return "no_printer"
        result = subprocess.run(lp_command(lp, pdf), stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=timeout, check=False)
        return lp_outcome(result.returncode, result.stderr.decode("utf-8", "replace"))
    except (OSError, subprocess.SubprocessError):
        return "failed"
    finally:
        pdf.unlink(missing_ok=True)
