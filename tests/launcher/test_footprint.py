"""What the window's process loads: only what it uses, since every megabyte of it counts against
the kiosk's memory goal (benchmarks/memory_breakdown.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.launcher.harness import ROOT

# What `kiosk launch` imports, then loads a policy as the window does.
LAUNCH_IMPORTS = """
import sys
import kiosk.cli, launcher.app, launcher.window, launcher.pywebview_hooks, webview
from policies import default_policy_path, load_policy
load_policy(default_policy_path())
print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))
"""


def test_window_process_loads_no_signature_or_web_server_library():
    loaded = subprocess.run([sys.executable, "-c", LAUNCH_IMPORTS], cwd=ROOT, check=True,
                            capture_output=True, text=True, timeout=60).stdout.split()
    assert "launcher" in loaded and "PyQt6" in loaded
    for heavy in ("cryptography", "flask", "werkzeug", "jinja2", "waitress", "babel"):
        assert heavy not in loaded, heavy
