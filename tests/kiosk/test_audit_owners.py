"""The audit log is written by two accounts on an installed terminal: the portal (user kiosk)
and `kiosk mediator set-password` (user kiosk-admin, README step 3). Whichever writes first,
the other can append: the log is shared through the state dir's group (kiosk), mode 0660."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import core.audit

SESSION_UID = KIOSK_GID = 42_101   # kiosk:kiosk
ADMIN_UID = 42_102                 # kiosk-admin, member of group kiosk

APPEND = """
import sys
sys.path.insert(0, sys.argv[1])
from audit import AuditLog
from pathlib import Path
AuditLog(Path(sys.argv[2])).record(sys.argv[3])
"""


def as_account(uid: int, gid: int, groups: list[int]):
    def switch() -> None:
        os.setgroups(groups)
        os.setgid(gid)
        os.setuid(uid)
    return switch


SESSION = as_account(SESSION_UID, KIOSK_GID, [])
ADMIN = as_account(ADMIN_UID, ADMIN_UID, [KIOSK_GID])


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as two users")
@pytest.mark.parametrize("order", [("kiosk-admin", "kiosk"), ("kiosk", "kiosk-admin")],
                         ids=["password-set-before-first-boot", "portal-first"])
def test_both_accounts_can_append_to_the_audit_log_in_either_order(order) -> None:
    python = shutil.which("python3", path="/usr/bin:/bin")
    assert python, "the system python3 is needed to act as another user"
    base = Path(tempfile.mkdtemp(prefix="kiosk-audit-", dir="/tmp"))
    try:
        base.chmod(0o755)
        lib = base / "lib"
        lib.mkdir(mode=0o755)
        shutil.copy(core.audit.__file__, lib / "audit.py")  # stdlib only: runs anywhere
        state = base / "state"
        state.mkdir()
        os.chown(state, 0, KIOSK_GID)
        state.chmod(0o1770)  # as install.sh makes /var/lib/kiosk
        accounts = {"kiosk": SESSION, "kiosk-admin": ADMIN}
        for who in order:
            result = subprocess.run([python, "-c", APPEND, str(lib), str(state), f"by-{who}"],
                                    capture_output=True, text=True, timeout=30,
                                    preexec_fn=accounts[who], cwd="/", env={"PATH": "/usr/bin"})
            assert result.returncode == 0, f"{who} could not append: {result.stderr}"
        actions = [entry.action for entry in core.audit.AuditLog(state).entries()]
        assert actions == [f"by-{who}" for who in reversed(order)]
        assert (state / "audit.log").stat().st_gid == KIOSK_GID
    finally:
        shutil.rmtree(base, ignore_errors=True)
