"""Erase everything a session produced, prove it, and survive crashes.

    handle = prepare_session(state_dir, homes=[(home, template)], tmp_roots=[...])
    launcher = subprocess.Popen(..., env={**os.environ, **handle.env()})
    handle.add_process(launcher.pid)
    ...
    report = wipe_session(handle)        # report.ok False -> out of service
    # at start-up, before anything else:
    report = recover(state_dir)          # None when no wipe was pending
"""

from wipe.engine import (
    DEFAULT_TMP_ROOTS,
    SessionHandle,
    WipePending,
    pending,
    prepare_session,
    recover,
    wipe_session,
)
from wipe.guard import UnsafeTarget
from wipe.journal import JournalError
from wipe.report import StepReport, WipeReport

__all__ = ["DEFAULT_TMP_ROOTS", "JournalError", "SessionHandle", "StepReport", "UnsafeTarget",
           "WipePending", "WipeReport", "pending", "prepare_session", "recover", "wipe_session"]
