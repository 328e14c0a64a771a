"""Ed25519 over the exact bytes: an unsigned or tampered policy is refused, the old one stays."""

from __future__ import annotations

import shutil

import pytest

from policies import PolicyStore, SignatureError, default_policy_path, signing
from policies.signing import signature_path


@pytest.fixture
def keys(tmp_path):
    private, public = signing.generate_keypair(tmp_path / "keys")
    return private, public


def test_private_key_is_owner_only_and_never_overwritten(keys):
    private, _ = keys
    assert private.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        signing.generate_keypair(private.parent)


def test_signed_file_verifies_and_any_changed_byte_is_refused(tmp_path, keys):
    private, public = keys
    policy = tmp_path / "policy.toml"
    shutil.copy(default_policy_path(), policy)
    signing.sign_file(policy, private)
    trusted = [signing.load_public_key(public)]
    signing.verify_file(policy, trusted)
    data = bytearray(policy.read_bytes())
    data[-2] ^= 0x01
    policy.write_bytes(bytes(data))
    with pytest.raises(SignatureError, match="does not match"):
        signing.verify_file(policy, trusted)


def test_a_key_that_is_not_trusted_is_refused(tmp_path, keys):
    private, _ = keys
    _, other_public = signing.generate_keypair(tmp_path / "other")
    policy = tmp_path / "policy.toml"
    shutil.copy(default_policy_path(), policy)
    signing.sign_file(policy, private)
    with pytest.raises(SignatureError):
        signing.verify_file(policy, [signing.load_public_key(other_public)])


def test_unsigned_file_is_refused(tmp_path, keys):
    policy = tmp_path / "policy.toml"
    shutil.copy(default_policy_path(), policy)
    with pytest.raises(SignatureError, match="not signed"):
        signing.verify_file(policy, [signing.load_public_key(keys[1])])


def test_garbage_signature_is_refused(tmp_path, keys):
    policy = tmp_path / "policy.toml"
    shutil.copy(default_policy_path(), policy)
    signature_path(policy).write_text("not base64 !!!")
    with pytest.raises(SignatureError):
        signing.verify_file(policy, [signing.load_public_key(keys[1])])


def test_store_requiring_signatures_keeps_previous_policy_on_tamper(tmp_path, keys):
    private, public = keys
    state = tmp_path / "state"
    (state / "keys" / "trusted").mkdir(parents=True)
    shutil.copy(public, state / "keys" / "trusted" / "association.pub")
    good = default_policy_path().read_bytes()
    store = PolicyStore(state, require_signed=True)
    store.save(good, signing.sign_bytes(good, signing.load_private_key(private)))
    assert store.reload().changed and len(store.current.sites) >= 15

    tampered = good.replace(b'"caf.fr", "*.caf.fr"', b'"caf.fr", "*.caf.fr", "evil.net"')
    store.path.write_bytes(tampered)
    result = store.reload()
    assert not result.changed and result.issues[0].code == "bad_signature"
    assert not any(p.host == "evil.net" for s in store.current.sites for p in s.hosts)
