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


def send_to_printer(pdf: Path, timeout: float = 30.0) -> str:
    """Print `pdf` and delete it; return the event detail: sent, no_printer or failed."""
    try:
        lp = shutil.which("lp")
        if lp is None:
            return "no_printer"
        result = subprocess.run(lp_command(lp, pdf), stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=timeout, check=False)
        return "sent" if result.returncode == 0 else "failed"
    except (OSError, subprocess.SubprocessError):
        return "failed"
    finally:
        pdf.unlink(missing_ok=True)
