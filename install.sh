#!/usr/bin/env bash
# kiosk installer.
#   ./install.sh --demo          install into .venv (and the apt packages it needs), start `kiosk demo`
#   ./install.sh --test [ARGS]   install with test tools, run the whole suite under Xvfb (ARGS go to pytest)
#   sudo ./install.sh --kiosk    turn this machine into a locked terminal (not available yet)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"

# Libraries Qt WebEngine needs to draw a window (xcb), plus fonts.
RUNTIME_PACKAGES=(
  python3 python3-venv python3-pip
  libnss3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcomposite1 libxdamage1
  libxrandr2 libxtst6 libxkbfile1 libegl1 libgl1 libgl1-mesa-dri libgbm1 libasound2
  libfontconfig1 libdbus-1-3 fonts-dejavu-core xclip
)
# A virtual screen, input and screenshots for GUI tests; a real Chromium for page and benchmark
# tests; a window manager (openbox) for the launcher-under-a-WM test.
TEST_PACKAGES=(
  xvfb xauth xdotool x11-utils imagemagick chromium chromium-driver shellcheck openbox
)

say() { printf '\033[1m[kiosk]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[kiosk] error:\033[0m %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
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
    --kiosk|--uninstall)
      die "'$mode' (locked terminal setup) is not available in this version yet"
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

main "$@"
