"""Production mode: the session runs as its own user; the wipe targets that user only."""

from __future__ import annotations

import os
import subprocess

from wipe_fixtures import CHILD_ENV, needs_root

from wipe import prepare_session, wipe_session

NOBODY = 65534
pytestmark = needs_root


def test_tmp_sweep_deletes_only_the_session_users_files(layout):
    root = layout.roots[0]
    handle = prepare_session(layout.state, **layout.prepare_kwargs(), session_uid=NOBODY)
    theirs, others = root / "resident.tmp", root / "service.tmp"
    for path, uid in ((theirs, NOBODY), (others, 12345)):
        path.write_text("written during the session")
        os.chown(path, uid, uid)
    report = wipe_session(handle, grace=0.1)
    assert report.ok
    assert not theirs.exists() and others.exists()


def test_any_process_of_the_session_user_is_stopped(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs(), session_uid=NOBODY)
    env = {k: v for k, v in CHILD_ENV.items() if k != "TMPDIR"}

    def as_nobody() -> None:
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    escaped = subprocess.Popen(["sleep", "30"], cwd="/", env=env, preexec_fn=as_nobody)
    bystander = subprocess.Popen(["sleep", "30"], cwd="/", env=env)
    try:
        report = wipe_session(handle, grace=0.1)
        assert report.ok
        assert escaped.wait(timeout=2) is not None
        assert bystander.poll() is None
    finally:
        for proc in (escaped, bystander):
            proc.kill()
            proc.wait()
