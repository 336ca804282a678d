#!/usr/bin/env bash
# Installs what jieyue drives: Debian's Chromium and chromedriver, and Noto CJK fonts so
# Chinese renders in screenshots. Idempotent: installs only what is missing.
#   ./webdriver/install.sh            Chromium + chromedriver + fonts
#   ./webdriver/install.sh --firefox  also firefox-esr and geckodriver (from crates.io)
set -euo pipefail

want_firefox=0
for arg in "$@"; do
  case "$arg" in
    --firefox) want_firefox=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (use --firefox)" >&2; exit 2 ;;
  esac
done

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install.sh: run as root or install sudo" >&2; exit 1
  fi
fi

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in chromium chromium-driver fonts-noto-cjk; do
  have_pkg "$pkg" || missing+=("$pkg")
done
if [ "$want_firefox" = 1 ]; then
  have_pkg firefox-esr || missing+=(firefox-esr)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want_firefox" = 1 ] && ! command -v geckodriver >/dev/null 2>&1; then
  echo "installing: geckodriver (cargo install)"
  cargo install --locked geckodriver >/dev/null
fi

echo "chromium:     $(chromium --version 2>/dev/null | head -1)"
echo "chromedriver: $(chromedriver --version 2>/dev/null | head -1)"
if [ "$want_firefox" = 1 ]; then
  echo "firefox:      $(firefox-esr --version 2>/dev/null | head -1)"
  echo "geckodriver:  $(geckodriver --version 2>/dev/null | head -1)"
fi
