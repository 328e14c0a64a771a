"""A minimal supervisor: prepares a session, starts a fake session in it, then idles.

Usage: supervisor_child.py LAYOUT_JSON MARKER FILES  (prints "ready" once the session runs)
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from wipe import prepare_session

layout = json.loads(sys.argv[1])
marker, files = sys.argv[2], sys.argv[3]
handle = prepare_session(layout["state"], homes=[(layout["home"], layout["template"])],
                         tmp_roots=layout["roots"], display="", wayland_display="")
print("prepared", flush=True)
fake = Path(__file__).with_name("fake_session.py")
session = subprocess.Popen([sys.executable, str(fake), marker, str(handle.session_dir),
                            layout["home"], *layout["roots"], "--files", files],
                           stdout=subprocess.PIPE, env={**os.environ, **handle.env()})
handle.add_process(session.pid)
session.stdout.readline()
print("ready", flush=True)
while True:
    time.sleep(1)
