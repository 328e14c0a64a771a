"""`kiosk policy ...`: check, show, sign, verify, keygen, rollback."""

from __future__ import annotations

from pathlib import Path

import click

from core.layout import state_dir as resolve_state_dir
from policies import PolicyError, PolicyStore, SignatureError, load_policy, signing
from policies.display import policy_table

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def policy() -> None:
    """Check, show, sign and roll back the site catalogue."""


@policy.command()
@click.argument("file", type=_FILE)
def check(file: Path) -> None:
    """Validate a policy file; list every error with its line (exit 1 on error)."""
    try:
        loaded = load_policy(file)
    except PolicyError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        raise SystemExit(1) from exc
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{file}: OK ({len(loaded.sites)} sites, {len(loaded.categories)} categories, "
               f"{len(loaded.shared)} shared services)")


@policy.command()
@click.argument("file", type=_FILE)
def show(file: Path) -> None:
    """Print the tiles and their hosts as a readable table."""
    try:
        click.echo(policy_table(load_policy(file)))
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from exc


@policy.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for policy-signing.key (0600) and policy-signing.pub.")
def keygen(out_dir: Path) -> None:
    """Create an Ed25519 key pair for signing policies."""
    try:
        private, public = signing.generate_keypair(out_dir)
    except FileExistsError as exc:
        raise click.ClickException(
            f"a key already exists in {out_dir}; refusing to overwrite it") from exc
    click.echo(f"private key: {private}\npublic key:  {public}")


@policy.command()
@click.argument("file", type=_FILE)
@click.option("--key", "key_path", type=_FILE, required=True, help="Ed25519 private key (PEM).")
def sign(file: Path, key_path: Path) -> None:
    """Sign a policy file (writes FILE.sig); the file must be valid first."""
    try:
        load_policy(file)
        out = signing.sign_file(file, key_path)
    except (PolicyError, SignatureError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"signed: {out}")


@policy.command()
@click.argument("file", type=_FILE)
@click.option("--pub", "pub_paths", type=_FILE, multiple=True,
              help="Trusted public key (repeatable).")
@click.option("--trusted-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory of trusted *.pub keys (default: STATE/keys/trusted).")
def verify(file: Path, pub_paths: tuple[Path, ...], trusted_dir: Path | None) -> None:
    """Verify FILE.sig against trusted keys (exit 1 when unsigned or tampered)."""
    try:
        keys = [signing.load_public_key(p) for p in pub_paths]
        keys += signing.trusted_keys(trusted_dir or resolve_state_dir() / "keys" / "trusted")
        signing.verify_file(file, keys)
    except SignatureError as exc:
        click.echo(f"{file}: REFUSED: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"{file}: signature OK")


@policy.command()
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path),
              help="State directory.")
def rollback(state_dir: Path | None) -> None:
    """Restore the previous version of the terminal's policy."""
    store = PolicyStore(resolve_state_dir(state_dir))
    try:
        restored = store.rollback()
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"rolled back: {store.path} now has {len(restored.sites)} sites")
