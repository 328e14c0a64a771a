#!/usr/bin/env bash
# A real `install.sh --kiosk` / `--uninstall` inside a throwaway Debian 12 chroot (not run by
# pytest: it needs debootstrap, the network and about 15 minutes). Usage, as root:
#   tests/install/real_install_check.sh [WORK_DIR]   (default /var/tmp/kiosk-chroot)
# It checks with the real accounts what the --root tests can only read from the manifest: who
# can read the secrets, that the units verify with the real cage installed, that a re-run is
# idempotent and that uninstall --purge gives /etc back as it was. sysctl is replaced by a stub
# in the chroot (it would change the host's kernel) and no service is started (systemctl sees
# the chroot and does nothing).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE="${1:-/var/tmp/kiosk-chroot}"
PRISTINE="$BASE/pristine"   # a fresh debootstrap, made once and copied for every run
CHROOT="$BASE/run"
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'ok: %s\n' "$*"; }
in_root() { chroot "$CHROOT" env -u PIP_FIND_LINKS PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
as_user() { local user="$1"; shift; in_root setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }

[ "$(id -u)" -eq 0 ] || fail "run as root"
if [ ! -x "$PRISTINE/usr/bin/python3" ]; then
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,sudo,procps,python3,python3-venv,ca-certificates \
    bookworm "$PRISTINE" http://deb.debian.org/debian
fi
if grep -q " $CHROOT/" /proc/mounts; then fail "something is still mounted under $CHROOT"; fi
rm -rf "$CHROOT"
cp -a "$PRISTINE" "$CHROOT"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
trap 'umount "$CHROOT/proc" 2>/dev/null || true' EXIT
mount -t proc proc "$CHROOT/proc"
printf '#!/bin/sh\necho "sysctl $*: skipped in the test chroot"\n' > "$CHROOT/usr/local/sbin/sysctl"
chmod 755 "$CHROOT/usr/local/sbin/sysctl"
# Trust the same local certificate authorities as the host (an HTTPS proxy, for pip).
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null
fi
rm -rf "$CHROOT/root/kiosk" && mkdir -p "$CHROOT/root/kiosk"
git -C "$HERE" ls-files -z | tar -C "$HERE" --null -T - -cf - | tar -C "$CHROOT/root/kiosk" -xf -

snapshot_etc() {
  # /etc as it matters: paths, types, modes, link targets and hashes (apt caches left out).
  in_root find /etc /opt /home -path /etc/ld.so.cache -prune -o \
    \( -name '*-' -o -path '/etc/apt/*' -o -name 'shadow*' -o -name 'gshadow*' -o -name '.pwd.lock' \) -prune -o \
    -printf '%p %y %m %l\n' | sort
}
# The packages are installed first, as on a machine that already had them: the /etc comparison
# below then shows kiosk's own changes only (apt's "remove" leaves package conffiles behind).
# shellcheck disable=SC1090
source <(sed -n '/^RUNTIME_PACKAGES=(/,/^)/p; /^KIOSK_PACKAGES=(/,/^)/p' "$HERE/install.sh")
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${RUNTIME_PACKAGES[@]}" "${KIOSK_PACKAGES[@]}" >/dev/null
snapshot_etc > "$CHROOT/root/before.txt"

in_root bash -c 'cd /root/kiosk && ./install.sh --kiosk' || fail "install.sh --kiosk"
ok "install.sh --kiosk finished"

shell="$(in_root getent passwd kiosk | cut -d: -f7)"
[ "$shell" = /usr/sbin/nologin ] || fail "kiosk shell is $shell"
in_root passwd -S kiosk | grep -q ' L ' || fail "kiosk password is not locked"
in_root id -nG kiosk | grep -qw sudo && fail "kiosk is in the sudo group"
in_root id -nG kiosk-admin | grep -qw kiosk || fail "kiosk-admin is not in group kiosk"
ok "accounts: kiosk has no shell, no password, no sudo"

as_user kiosk-admin sh -c 'umask 077; echo PRIVATE > /var/lib/kiosk/keys/terminal.key; echo HASH > /var/lib/kiosk/secrets/mediator.hash'
as_user kiosk cat /var/lib/kiosk/keys/terminal.key 2>/dev/null && fail "kiosk read the signing key"
as_user kiosk cat /var/lib/kiosk/secrets/mediator.hash 2>/dev/null && fail "kiosk read the password hash"
as_user kiosk mv /var/lib/kiosk/keys /var/lib/kiosk/stolen 2>/dev/null && fail "kiosk renamed keys/"
as_user kiosk sh -c 'echo {} > /var/lib/kiosk/wipe.journal.tmp && mv /var/lib/kiosk/wipe.journal.tmp /var/lib/kiosk/wipe.journal' \
  || fail "kiosk cannot write its journal in the state dir"
as_user kiosk touch /var/lib/kiosk/session/x || fail "kiosk cannot write its session dir"
ok "permissions: the session cannot read or move the secrets, and can write its own files"

in_root /opt/kiosk/venv/bin/kiosk --help >/dev/null || fail "kiosk is not installed in /opt/kiosk/venv"
warnings="$(in_root systemd-analyze verify /etc/systemd/system/kiosk.service 2>&1)" \
  || fail "systemd-analyze verify failed: $warnings"
[ -z "$warnings" ] || fail "systemd-analyze verify warned: $warnings"
ok "kiosk.service verifies with the real cage and venv"

cp "$CHROOT/opt/kiosk/MANIFEST" "$CHROOT/root/manifest.1"
in_root bash -c 'cd /root/kiosk && ./install.sh --kiosk' >/dev/null || fail "second --kiosk"
cmp "$CHROOT/opt/kiosk/MANIFEST" "$CHROOT/root/manifest.1" || fail "a re-run changed the manifest"
in_root cat /var/lib/kiosk/keys/terminal.key | grep -q PRIVATE || fail "a re-run lost the key"
ok "re-run: same manifest, keys kept"

in_root bash -c 'cd /root/kiosk && ./install.sh --uninstall --purge' || fail "--uninstall --purge"
in_root getent passwd kiosk kiosk-admin && fail "accounts are still there"
snapshot_etc > "$CHROOT/root/after.txt"
diff "$CHROOT/root/before.txt" "$CHROOT/root/after.txt" || fail "uninstall left /etc, /opt or /home changed"
[ ! -e "$CHROOT/var/lib/kiosk" ] || fail "/var/lib/kiosk is still there after --purge"
grep -q '^package' "$CHROOT/root/manifest.1" && fail "packages that were there before were recorded"
ok "uninstall --purge: accounts gone, /etc /opt /home as before, packages kept"
