"""Saving is atomic, keeps history, rolls back, and never leaves a broken policy in force."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from policies import PolicyError, PolicyStore, default_policy_path, load_policy

GOOD = default_policy_path().read_bytes()


def variant(n: int) -> bytes:
    return GOOD.replace(b'name = "CAF"', f'name = "CAF {n}"'.encode())


def test_no_file_means_nothing_opens(tmp_path):
    store = PolicyStore(tmp_path)
    result = store.reload()
    assert not result.changed and result.issues[0].code == "missing"
    assert store.current.sites == ()


def test_broken_file_keeps_the_previous_policy_and_names_the_line(tmp_path):
    store = PolicyStore(tmp_path)
    store.save(GOOD)
    store.path.write_bytes(GOOD + b"\n[[site]]\nid = 'x'\nbogus = 1\n")
    result = store.reload()
    assert not result.changed
    lines = len(GOOD.splitlines())
    assert any(issue.code == "unknown_key" and issue.line == lines + 4 for issue in result.issues)
    assert store.current.site("caf") is not None


def test_save_refuses_invalid_text_and_touches_nothing(tmp_path):
    store = PolicyStore(tmp_path)
    store.save(GOOD)
    before = store.path.read_bytes()
    with pytest.raises(PolicyError):
        store.save(b"version = 1\nnope = true\n")
    assert store.path.read_bytes() == before
    assert store.history() == []


def test_each_save_keeps_the_previous_version_and_rollback_restores_it(tmp_path):
    store = PolicyStore(tmp_path)
    store.save(variant(1))
    store.save(variant(2))
    store.save(variant(3))
    assert len(store.history()) == 2
    assert store.rollback().site("caf").name == "CAF 2"
    assert load_policy(store.path).site("caf").name == "CAF 2"


def test_rollback_without_history_is_a_clear_error(tmp_path):
    store = PolicyStore(tmp_path)
    store.save(GOOD)
    with pytest.raises(PolicyError, match="no earlier version"):
        store.rollback()


WRITER = """
import sys
from policies import PolicyStore, default_policy_path
good = default_policy_path().read_bytes()
store = PolicyStore(sys.argv[1])
n = 0
print("ready", flush=True)
while True:
    n += 1
    store.save(good.replace(b'name = "CAF"', f'name = "CAF {n}"'.encode()))
"""


def test_killing_the_writer_mid_save_never_leaves_a_broken_policy(tmp_path):
    """kill -9 at 12 random moments while a process saves in a loop: the file always loads."""
    rng = random.Random(1234)
    store = PolicyStore(tmp_path)
    store.save(GOOD)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], env=env,
                                  stdout=subprocess.PIPE)
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        loaded = load_policy(store.path)
        assert loaded.site("caf").name.startswith("CAF")
        for old in store.history()[:3]:
            load_policy(old)
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # a killed writer may leave its own temp file, never a broken policy
    assert len(leftovers) <= 12


def test_the_bytes_in_force_are_kept_when_the_file_breaks(tmp_path):
    store = PolicyStore(tmp_path)
    store.save(GOOD)
    store.path.write_bytes(b"version = 1\n[[site]\n")
    assert not store.reload().changed
    assert store.current_data == GOOD
