#!/usr/bin/env bash
# kiosk installer.
#   ./install.sh --demo          install into .venv (and the apt packages it needs), start `kiosk demo`
#   ./install.sh --test [ARGS]   install with test tools, run the whole suite under Xvfb (ARGS go to pytest)
#   sudo ./install.sh --kiosk    turn this machine into a locked terminal (re-run to upgrade in place)
#   sudo ./install.sh --uninstall [--purge]   undo --kiosk (--purge also deletes /var/lib/kiosk)
#   ./install.sh --kiosk|--uninstall --root DIR   write under DIR instead of /, print the commands
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"

# Libraries Qt WebEngine needs to draw a window (xcb), plus fonts (DejaVu has the Arabic glyphs of
# the toolbar and the on-screen keyboard, whose code is vendored: no package for it); the offline
# voice of "Écouter" (speech-dispatcher with espeak-ng: French, English, Arabic), which the window
# starts itself.
RUNTIME_PACKAGES=(
  python3 python3-venv python3-pip
  libnss3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcomposite1 libxdamage1
  libxrandr2 libxtst6 libxkbfile1 libegl1 libgl1 libgl1-mesa-dri libgbm1 libasound2
  libfontconfig1 libdbus-1-3 fonts-dejavu-core xclip cups-client
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
)
# A virtual screen, input and screenshots for GUI tests; a real Chromium for page and benchmark tests;
# for installer tests: shellcheck, systemd-analyze and duk (the JavaScript engine of polkit rules);
# a real PostgreSQL server for the hub's tests; a window manager (openbox) for the launcher test;
# libatomic1 for the node that Playwright bundles (a bare Debian lacks it: every browser test errs);
# debootstrap and systemd-nspawn for the booted test (a Debian 12 container running --kiosk);
# PulseAudio's null sink and parec as the read-aloud tests' sound card (it plays in real time).
TEST_PACKAGES=(
  xvfb xauth xdotool x11-utils imagemagick chromium chromium-driver shellcheck systemd duktape
  postgresql openbox libatomic1 debootstrap systemd-container pulseaudio pulseaudio-utils
)
# The locked terminal: the cage compositor (and Xwayland as fallback), Qt's Wayland libraries,
# printing, removable drives for the "Mes documents" copy, polkit for the rule that limits them.
# pam_systemd gives cage its logind session (screen, input, polkit's "active" for udisks);
# procps (pgrep) lets the unit's stop step find the session account's last processes.
KIOSK_PACKAGES=(
  cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1
  cups cups-client udisks2 polkitd libpam-systemd procps
)

say() { printf '\033[1m[kiosk]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[kiosk] error:\033[0m %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "this step needs root: run it as root or install sudo"; fi
}

check_os() {
  [ -r /etc/os-release ] || die "cannot read /etc/os-release: kiosk installs on Debian or Ubuntu only"
  # shellcheck disable=SC1091
  . /etc/os-release
  case " ${ID:-} ${ID_LIKE:-} " in
    *" debian "*|*" ubuntu "*) ;;
    *) die "this system (${PRETTY_NAME:-unknown}) is not Debian or Ubuntu; kiosk needs apt" ;;
  esac
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; kiosk needs a Debian-like system"
}

missing_packages() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
  done
}

install_apt() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    say "system packages: all present"
    return
  fi
  say "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed: check the network and /etc/apt/sources.list"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"
}

python_bin() {
  # A python3 >= 3.11 with a working venv module.
  local candidate
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  die "no Python 3.11 or newer with venv found (apt package python3-venv)"
}

install_python() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$(python_bin)" -m venv "$VENV"
  fi
  say "installing kiosk${extras:+ with $extras} into .venv"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$HERE${extras:+[$extras]}" || die "pip install failed"
}

run_tests() {
  cd "$HERE"
  export PYTHONDONTWRITEBYTECODE=1
  say "running the test suite under Xvfb"
  local status=0
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$VENV/bin/python" -m pytest "$@" || status=$?
  return "$status"
}

# ---------------------------------------------------------------------------------------------
# The locked terminal (--kiosk, --uninstall). Every file goes through put_file/put_link/
# edit_conf/state_dir, which write under $ROOT and record a line in the manifest; every system
# command goes through cmd, which only prints it under --root. Uninstall replays the manifest.
# ---------------------------------------------------------------------------------------------
OPT_DIR=/opt/kiosk
STATE_DIR=/var/lib/kiosk
KIOSK_HOME=/home/kiosk
SESSION_USER=kiosk       # runs cage and everything a resident touches
ADMIN_USER=kiosk-admin   # owns the secrets (signing keys, mediator password hash)
MANIFEST=$OPT_DIR/MANIFEST
BACKUP_DIR=$OPT_DIR/backup
UNITS=/etc/systemd/system
DEPLOY="$HERE/kiosk/deploy"
MODE=""
SESSION_WAS_ACTIVE=0
ROOT=""
PURGE=0
MANIFEST_LINES=()
PACKAGES_TO_DROP=()
declare -A OURS=() SEEN_DIRS=()

parse_terminal_options() {
  local given="$*"
  while [ $# -gt 0 ]; do
    case "$1" in
      --root)
        [ $# -ge 2 ] || die "--root needs a directory"
        mkdir -p "$2" || die "cannot create $2"
        ROOT="$(cd "$2" && pwd)"
        [ "$ROOT" != / ] || ROOT=""
        shift 2
        ;;
      --purge) PURGE=1; shift ;;
      *) usage >&2; exit 2 ;;
    esac
  done
  if [ -z "$ROOT" ]; then
    [ "$(id -u)" -eq 0 ] || die "run it as root: sudo $0 ${MODE} $given"
  fi
}

at() { printf '%s%s' "$ROOT" "$1"; }

cmd() {
  if [ -n "$ROOT" ]; then
    printf 'would run:'; printf ' %q' "$@"; printf '\n'
  else
    say "running:$(printf ' %q' "$@")"
    "$@"
  fi
}

record() {
  local IFS=$'\t'
  MANIFEST_LINES+=("$*")
}

load_manifest() {
  local kind path rest
  [ -f "$(at "$MANIFEST")" ] || return 0
  while IFS=$'\t' read -r kind path rest; do
    case "$kind" in ''|'#'*) continue ;; esac
    OURS["$kind:$path"]=1
  done < "$(at "$MANIFEST")"
}

ours() { [ -n "${OURS["$1:$2"]:-}" ]; }

file_hash() { sha256sum "$1" | cut -d' ' -f1; }

ensure_dir() {
  # Create a system directory (and missing parents); remember the ones we created.
  local path="$1" parent
  [ -z "${SEEN_DIRS["$path"]:-}" ] || return 0
  SEEN_DIRS["$path"]=1
  parent="$(dirname "$path")"
  [ "$parent" = "$path" ] || ensure_dir "$parent"
  if [ ! -d "$(at "$path")" ]; then
    mkdir -m 0755 "$(at "$path")"
    record dir "$path" 0755 root:root -
  elif ours dir "$path"; then
    record dir "$path" 0755 root:root -
  fi
}

backup_foreign() {
  # Keep what was there before us, once, so uninstall can put it back.
  local path="$1" kind="$2" saved
  saved="$(at "$BACKUP_DIR$path")"
  if { [ -e "$(at "$path")" ] || [ -L "$(at "$path")" ]; } && ! ours "$kind" "$path" && [ ! -e "$saved" ] && [ ! -L "$saved" ]; then
    mkdir -p "$(dirname "$saved")"
    cp -a "$(at "$path")" "$saved"
  fi
  if [ -e "$saved" ] || [ -L "$saved" ]; then echo backup; else echo -; fi
}

write_atomic() {
  # write_atomic DEST MODE < content
  local dest="$1" mode="$2" tmp
  tmp="$(mktemp "$dest.kiosk-XXXXXX")"
  cat > "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
}

put_file() {
  # put_file TEMPLATE PATH MODE: install a template from kiosk/deploy/.
  local template="$DEPLOY/$1" path="$2" mode="$3" saved
  [ -f "$template" ] || die "missing template $template (incomplete checkout?)"
  ensure_dir "$(dirname "$path")"
  saved="$(backup_foreign "$path" file)"
  rm -f "$(at "$path")"
  write_atomic "$(at "$path")" "$mode" < "$template"
  record file "$path" "$mode" root:root "sha256=$(file_hash "$(at "$path")")" "$saved"
}

put_link() {
  # put_link PATH TARGET: a symlink (a mask is a link to /dev/null).
  local path="$1" target="$2" saved
  ensure_dir "$(dirname "$path")"
  saved="$(backup_foreign "$path" link)"
  rm -rf "$(at "$path")"
  ln -s "$target" "$(at "$path")"
  record link "$path" - root:root "$target" "$saved"
}

edit_conf() {
  # edit_conf PATH FRAGMENT: the original file minus the directives FRAGMENT sets, plus FRAGMENT.
  local path="$1" fragment="$DEPLOY/$2" saved keys original
  if [ ! -f "$(at "$path")" ]; then
    say "$path not found: skipped (install its package, then re-run)"
    return
  fi
  saved="$(backup_foreign "$path" edit)"
  original="$(at "$BACKUP_DIR$path")"
  [ -f "$original" ] || die "the original of $path is missing from $BACKUP_DIR: restore it by hand"
  keys="$(grep -v '^#' "$fragment" | awk 'NF { print $1 }' | paste -sd'|')"
  { grep -Ev "^[[:space:]]*($keys)[[:space:]]" "$original" || true
    cat "$fragment"; } | write_atomic "$(at "$path")" "$(stat -c %a "$original")"
  chown --reference="$original" "$(at "$path")"
  record edit "$path" "0$(stat -c %a "$original")" "$(stat -c %U:%G "$original")" \
    "sha256=$(file_hash "$(at "$path")")" "$saved"
}

set_owner() {
  # Ownership by name: the accounts only exist on the real system, so under --root it is printed.
  if [ -n "$ROOT" ]; then printf 'would run: chown %q %q\n' "$1" "$2"; else chown -h "$1" "$2"; fi
}

refuse_link() {
  # The session account can write in the state dir: a link there could aim chmod/chown at /etc.
  if [ -L "$(at "$1")" ]; then
    die "$1 is a symbolic link, which kiosk never creates: refusing to change it (inspect and remove it, then re-run)"
  fi
}

state_dir() {
  # state_dir PATH MODE OWNER: a data directory kept by upgrades and by uninstall (unless --purge).
  local path="$1" mode="$2" owner="$3"
  ensure_dir "$(dirname "$path")"
  refuse_link "$path"
  [ -d "$(at "$path")" ] || mkdir "$(at "$path")"
  chmod "$mode" "$(at "$path")"
  set_owner "$owner" "$(at "$path")"
  record state "$path" "$mode" "$owner" keep
}

state_files() {
  # state_files DIR MODE OWNER: every file already in DIR gets MODE and OWNER (fixes drift).
  local dir="$1" mode="$2" owner="$3" file
  for file in "$(at "$dir")"/* "$(at "$dir")"/.[!.]*; do
    if [ ! -f "$file" ] || [ -L "$file" ]; then continue; fi
    chmod "$mode" "$file"
    set_owner "$owner" "$file"
  done
  record state "$dir/*" "$mode" "$owner" keep
}

ensure_user() {
  # ensure_user NAME COMMENT USERADD-ARGS...: create a system account once; record it if ours.
  local name="$1" comment="$2"; shift 2
  if [ -z "$ROOT" ] && getent passwd "$name" >/dev/null; then
    if ours user "$name"; then
      record user "$name" - - -
    else
      say "account $name already exists (not created by kiosk): it will be kept on uninstall"
    fi
    return 0
  fi
  cmd useradd --system --user-group --shell /usr/sbin/nologin --comment "$comment" "$@" "$name"
  record user "$name" - - -
}

apt_names() {
  # Ubuntu 24.04 renamed some libraries for 64-bit time_t (libasound2 is libasound2t64 there).
  local package
  for package in "$@"; do
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [^(]' &&
       apt-cache policy "${package}t64" 2>/dev/null | grep -q 'Candidate: [^(]'; then
      echo "${package}t64"
    else
      echo "$package"
    fi
  done
}

install_packages_for_terminal() {
  local -a wanted missing added
  local package
  if [ -n "$ROOT" ]; then
    cmd apt-get install -y --no-install-recommends "${RUNTIME_PACKAGES[@]}" "${KIOSK_PACKAGES[@]}"
    return
  fi
  check_os
  mapfile -t wanted < <(apt_names "${RUNTIME_PACKAGES[@]}" "${KIOSK_PACKAGES[@]}")
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  install_apt "${wanted[@]}"
  # Packages kiosk added (now or by an earlier run) are removed again by --uninstall.
  mapfile -t added < <({ printf '%s\n' "${missing[@]}"
    printf '%s\n' "${!OURS[@]}" | sed -n 's/^package://p'; } | sed '/^$/d' | sort -u)
  for package in "${added[@]}"; do record package "$package" - - -; done
}

system_python() {
  # The distribution's Python, not a developer's pyenv or conda one: the terminal outlives them.
  if /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo /usr/bin/python3
  else
    python_bin
  fi
}

install_accounts() {
  ensure_user "$SESSION_USER" "kiosk public session" --home-dir "$KIOSK_HOME"
  ensure_user "$ADMIN_USER" "kiosk secrets" --home-dir /nonexistent --no-create-home
  # kiosk-admin writes its files in the state dir, which belongs to group kiosk.
  cmd usermod --append --groups "$SESSION_USER" "$ADMIN_USER"
  cmd passwd --lock "$SESSION_USER"
  ensure_dir "$(dirname "$KIOSK_HOME")"
  [ -d "$(at "$KIOSK_HOME")" ] || mkdir "$(at "$KIOSK_HOME")"
  chmod 0700 "$(at "$KIOSK_HOME")"
  set_owner "$SESSION_USER:$SESSION_USER" "$(at "$KIOSK_HOME")"
  record home "$KIOSK_HOME" 0700 "$SESSION_USER:$SESSION_USER" -
}

install_application() {
  ensure_dir "$OPT_DIR"
  ensure_dir "$OPT_DIR/home.template"
  if [ -n "$ROOT" ] || [ ! -x "$OPT_DIR/venv/bin/python" ]; then
    cmd "$(system_python)" -m venv "$OPT_DIR/venv"
  fi
  cmd "$OPT_DIR/venv/bin/python" -m pip install -q --upgrade pip
  cmd "$OPT_DIR/venv/bin/python" -m pip install -q "$HERE"
  # Same version number after a git pull: force the new code in, leave the dependencies alone.
  cmd "$OPT_DIR/venv/bin/python" -m pip install -q --force-reinstall --no-deps "$HERE"
  record tree "$OPT_DIR/venv" - root:root -
}

install_system_files() {
  put_file kiosk.service "$UNITS/kiosk.service" 0644
  put_file end-session "$OPT_DIR/end-session" 0755
  put_link "$UNITS/multi-user.target.wants/kiosk.service" "$UNITS/kiosk.service"
  put_file kiosk-secrets.service "$UNITS/kiosk-secrets.service" 0644
  put_file kiosk-log.socket "$UNITS/kiosk-log.socket" 0644
  put_file kiosk-log.service "$UNITS/kiosk-log.service" 0644
  put_link "$UNITS/sockets.target.wants/kiosk-log.socket" "$UNITS/kiosk-log.socket"
  put_link "$UNITS/multi-user.target.wants/kiosk-secrets.service" "$UNITS/kiosk-secrets.service"
  put_link "$UNITS/default.target" /usr/lib/systemd/system/multi-user.target
  put_link "$UNITS/getty@tty1.service" /dev/null
  put_link "$UNITS/ctrl-alt-del.target" /dev/null
  put_file system.conf /etc/systemd/system.conf.d/50-kiosk.conf 0644
  put_file logind.conf /etc/systemd/logind.conf.d/50-kiosk.conf 0644
  put_file journald.conf /etc/systemd/journald.conf.d/50-kiosk.conf 0644
  put_file sysctl.conf /etc/sysctl.d/50-kiosk.conf 0644
  put_file polkit.rules /etc/polkit-1/rules.d/50-kiosk.rules 0644
  edit_conf /etc/cups/cupsd.conf cupsd.conf.append
  if [ -e "$(at /etc/apparmor.d/abi/4.0)" ]; then
    put_file apparmor-qtwebengine /etc/apparmor.d/kiosk-qtwebengine 0644
  fi
}

install_state() {
  # The session (kiosk) creates its files in the state dir; the sticky bit stops it from
  # renaming or deleting what belongs to kiosk-admin or root (keys/, secrets/, trusted-keys/).
  state_dir "$STATE_DIR" 1770 "root:$SESSION_USER"
  state_dir "$STATE_DIR/keys" 0700 "$ADMIN_USER:$ADMIN_USER"
  state_files "$STATE_DIR/keys" 0600 "$ADMIN_USER:$ADMIN_USER"
  state_dir "$STATE_DIR/secrets" 0700 "$ADMIN_USER:$ADMIN_USER"
  state_files "$STATE_DIR/secrets" 0600 "$ADMIN_USER:$ADMIN_USER"
  state_dir "$STATE_DIR/trusted-keys" 0755 root:root
  state_files "$STATE_DIR/trusted-keys" 0644 root:root
  state_dir "$STATE_DIR/session" 0700 "$SESSION_USER:$SESSION_USER"
  refuse_link "$STATE_DIR/config.toml"
  # Settings are the mediator's (the session saves them); the password hash is not in there
  # but in secrets/ (kiosk-secrets.service reads it).
  if [ -f "$(at "$STATE_DIR/config.toml")" ]; then
    chmod 0640 "$(at "$STATE_DIR/config.toml")"
    set_owner "$SESSION_USER:$SESSION_USER" "$(at "$STATE_DIR/config.toml")"
  fi
  record state "$STATE_DIR/config.toml" 0640 "$SESSION_USER:$SESSION_USER" keep
  # The audit log gets lines from the portal (kiosk) and from `kiosk mediator set-password`
  # (kiosk-admin, group kiosk), in whichever order the README's steps are done.
  refuse_link "$STATE_DIR/audit.log"
  [ -f "$(at "$STATE_DIR/audit.log")" ] || : > "$(at "$STATE_DIR/audit.log")"
  chmod 0660 "$(at "$STATE_DIR/audit.log")"
  set_owner "$SESSION_USER:$SESSION_USER" "$(at "$STATE_DIR/audit.log")"
  record state "$STATE_DIR/audit.log" 0660 "$SESSION_USER:$SESSION_USER" keep
}

write_manifest() {
  ensure_dir "$(dirname "$MANIFEST")"
  { printf '# kiosk install manifest v1: kind\tpath\tmode\towner\tdetail\tbackup\n'
    printf '%s\n' "${MANIFEST_LINES[@]}"; } | write_atomic "$(at "$MANIFEST")" 0644
}

remove_entry() {
  # Undo one manifest line: remove what we put there and restore what was there before.
  local kind="$1" path="$2" saved
  saved="$(at "$BACKUP_DIR$path")"
  case "$kind" in
    file|link|edit)
      rm -f "$(at "$path")" || return 1
      if [ -e "$saved" ] || [ -L "$saved" ]; then mv -f "$saved" "$(at "$path")" || return 1; fi
      ;;
    dir) rmdir "$(at "$path")" 2>/dev/null || true ;;
    tree|home) rm -rf "$(at "$path")" || return 1 ;;
    user)
      if [ -z "$ROOT" ] && ! getent passwd "$path" >/dev/null; then return 0; fi  # a second run
      cmd userdel "$path" || { say "could not remove the account $path"; return 1; }
      ;;
    package) PACKAGES_TO_DROP+=("$path") ;;
  esac
}

forget_dropped_entries() {
  # An upgrade that no longer installs a file removes it (in reverse order of the old manifest).
  local -A now=()
  local -a old
  local line kind path rest i
  for line in "${MANIFEST_LINES[@]}"; do
    IFS=$'\t' read -r kind path rest <<< "$line"
    now["$kind:$path"]=1
  done
  mapfile -t old < <(grep -v '^#' "$(at "$MANIFEST")" 2>/dev/null || true)
  for ((i = ${#old[@]} - 1; i >= 0; i--)); do
    IFS=$'\t' read -r kind path rest <<< "${old[i]}"
    case "$kind" in file|link|edit|dir|tree) ;; *) continue ;; esac
    [ -n "${now["$kind:$path"]:-}" ] || remove_entry "$kind" "$path"
  done
}

stop_session() {
  # An upgrade fixes ownership in the state dir: the session must not be running meanwhile.
  if [ -z "$ROOT" ] && systemctl is-active --quiet kiosk.service 2>/dev/null; then
    SESSION_WAS_ACTIVE=1
    cmd systemctl stop kiosk.service
  fi
}

reload_systemd() {
  # In a chroot or an image being prepared systemd is not running: the next boot reads the files.
  cmd systemctl daemon-reload || say "systemd is not running here: the changes apply at next boot"
}

install_terminal() {
  umask 022
  say "installing the locked terminal${ROOT:+ under $ROOT}"
  load_manifest
  install_packages_for_terminal
  install_accounts
  install_application
  install_system_files
  stop_session
  install_state
  forget_dropped_entries
  write_manifest
  reload_systemd
  cmd sysctl --load=/etc/sysctl.d/50-kiosk.conf || say "SysRq will be off after the next boot"
  if [ -e "$(at /etc/apparmor.d/kiosk-qtwebengine)" ]; then
    cmd apparmor_parser --replace /etc/apparmor.d/kiosk-qtwebengine || say "AppArmor profile loads at next boot"
  fi
  if [ -f "$(at /etc/cups/cupsd.conf)" ]; then
    cmd systemctl try-restart cups.service || say "CUPS reads its new settings at next boot"
  fi
  cmd systemctl try-restart kiosk-secrets.service || true  # an upgrade: the new code
  cmd systemctl try-restart kiosk-log.service || true
  if [ "$SESSION_WAS_ACTIVE" -eq 1 ]; then cmd systemctl start kiosk.service || true; fi
  say "done. Set the mediator password: sudo -u $ADMIN_USER $OPT_DIR/venv/bin/kiosk mediator set-password"
  say "then restart to start the terminal: sudo reboot"
}

drop_packages() {
  # Packages kiosk installed become "automatic": apt removes them unless something else needs them.
  [ "${#PACKAGES_TO_DROP[@]}" -gt 0 ] || return 0
  cmd apt-mark auto "${PACKAGES_TO_DROP[@]}" || say "apt-mark failed: packages kept"
  cmd env DEBIAN_FRONTEND=noninteractive apt-get autoremove -y || say "apt-get autoremove failed"
}

confirm_purge() {
  [ "$PURGE" -eq 1 ] && return 0
  [ -d "$(at "$STATE_DIR")" ] || return 1
  if [ -t 0 ]; then
    local answer=""
    read -r -p "Also delete the terminal's data in $STATE_DIR (settings, catalogue, keys, counters)? [y/N] " answer
    case "$answer" in y|Y|yes|o|O|oui) return 0 ;; esac
  fi
  say "kept $STATE_DIR (use --purge to delete it too)"
  return 1
}

end_session_processes() {
  # The accounts' processes (the session's `kiosk run`, their `systemd --user`) must be gone
  # before userdel, which refuses an account that still runs something.
  local -a users=()
  local line kind path rest
  for line in "$@"; do
    IFS=$'\t' read -r kind path rest <<< "$line"
    [ "$kind" = user ] && users+=("$path")
  done
  [ "${#users[@]}" -gt 0 ] || return 0
  local script="$OPT_DIR/end-session"
  # An installation older than end-session: the checkout's copy of the same script does it.
  [ -x "$(at "$script")" ] || script="$DEPLOY/end-session"
  cmd "$script" "${users[@]}" || say "some processes of ${users[*]} survive"
}

remove_drop_ins() {
  # Drop-ins for our units (an administrator's, a test's) would be orphans once they are gone.
  local unit dir
  for unit in kiosk.service kiosk-secrets.service kiosk-log.service kiosk-log.socket; do
    dir="$UNITS/$unit.d"
    if [ -d "$(at "$dir")" ]; then
      rm -rf "$(at "$dir")"
      say "removed $dir (drop-ins of a unit that no longer exists)"
    fi
  done
}

uninstall_terminal() {
  umask 022
  local -a lines
  local i kind path rest failed=0
  [ -f "$(at "$MANIFEST")" ] || die "no kiosk installation found ($MANIFEST is missing)"
  say "removing the locked terminal${ROOT:+ under $ROOT}"
  cmd systemctl stop kiosk.service || say "kiosk.service was not running"
  cmd systemctl stop kiosk-secrets.service || say "kiosk-secrets.service was not running"
  cmd systemctl stop kiosk-log.service kiosk-log.socket || say "kiosk-log was not running"
  mapfile -t lines < <(grep -v '^#' "$(at "$MANIFEST")")
  end_session_processes "${lines[@]}"
  remove_drop_ins
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    IFS=$'\t' read -r kind path rest <<< "${lines[i]}"
    [ "$kind" = dir ] || remove_entry "$kind" "$path" || failed=$((failed + 1))
  done
  # The manifest stays until everything it lists is gone: a second run finishes the job.
  [ "$failed" -eq 0 ] || die "$failed step(s) failed (see above); $MANIFEST is kept: fix the cause, then run $0 --uninstall again"
  drop_packages
  if confirm_purge; then
    rm -rf "$(at "$STATE_DIR")"; say "deleted $STATE_DIR"
  elif [ -d "$(at "$STATE_DIR")" ]; then
    # The accounts are gone: what they owned would belong to bare uids (a new account could
    # get one). A later install gives the files back to kiosk and kiosk-admin.
    cmd chown -R root:root "$STATE_DIR"
  fi
  find "$(at "$OPT_DIR")" -mindepth 1 -maxdepth 1 ! -name MANIFEST -exec rm -rf {} +
  rm -f "$(at "$MANIFEST")"
  # Directories last: they are empty only once the files, the backups and the data are gone.
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    IFS=$'\t' read -r kind path rest <<< "${lines[i]}"
    [ "$kind" != dir ] || remove_entry "$kind" "$path"
  done
  rmdir "$(at "$OPT_DIR")" 2>/dev/null || true
  reload_systemd
  say "done. Restart to get the login screen back: sudo reboot"
}

main() {
  local mode="${1:-}"
  [ $# -gt 0 ] && shift
  case "$mode" in
    --demo)
      check_os
      install_apt "${RUNTIME_PACKAGES[@]}"
      install_python ""
      exec "$VENV/bin/kiosk" demo "$@"
      ;;
    --test)
      check_os
      install_apt "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
      install_python "test"
      run_tests "$@"
      ;;
    --kiosk)
      MODE="$mode"
      parse_terminal_options "$@"
      install_terminal
      ;;
    --uninstall)
      MODE="$mode"
      parse_terminal_options "$@"
      uninstall_terminal
      ;;
    -h|--help)
      usage
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

# Sourcing the script (tests) defines the functions without running anything.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
