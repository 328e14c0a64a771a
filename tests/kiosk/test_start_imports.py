"""What `python -m kiosk` loads before it does anything: every start of the launcher, the
supervisor and the keeper pays for it, so the network stack stays out (the benchmarks compare
start times with the code before the floors refactoring, #15)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("urllib.request", "http.client", "email.parser", "ssl")


def test_kiosk_command_starts_without_the_network_stack():
    probe = ("import sys, kiosk.cli, kiosk.supervisor; "
             f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.split()
    assert loaded == []


def test_spreadsheet_cells_still_escape_xml_markup():
    from core.spreadsheets import escape

    assert escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d \"e\" 'f'"
