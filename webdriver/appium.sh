#!/usr/bin/env bash
# Appium 3 on this machine, on 127.0.0.1 only, with its Chromium driver driving Debian's
# Chromium through Debian's chromedriver (no driver downloads).
#   ./webdriver/appium.sh install                      appium 3 and appium-chromium-driver (npm)
#   ./webdriver/appium.sh start [--port 4723] [--dir DIR]
#   ./webdriver/appium.sh stop [--dir DIR]             stops what `start` started (by PID)
# `start` waits until Appium is ready and prints its URL: jieyue run|batch --webdriver URL.
# jieyue sees that the server is Appium and asks for its Chromium driver
# (appium:automationName Chromium, platformName linux, the local chromedriver).
# Logs and the PID go to DIR (default webdriver/.appium/run).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
appium_root="$here/.appium"
export APPIUM_HOME="$appium_root/home"
appium_version="3.8.0"
driver_version="3.1.1"
appium="$appium_root/node_modules/.bin/appium"

usage() { sed -n '2,10p' "$0"; exit "${1:-0}"; }

install() {
  command -v npm >/dev/null 2>&1 || { echo "appium.sh: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }
  mkdir -p "$appium_root" "$APPIUM_HOME"
  if [ ! -x "$appium" ] || [ "$("$appium" --version 2>/dev/null)" != "$appium_version" ]; then
    echo "installing: appium@$appium_version (npm)"
    npm install --silent --no-audit --no-fund --prefix "$appium_root" "appium@$appium_version" >/dev/null
  fi
  if ! "$appium" driver list --installed 2>&1 | grep -q "chromium@$driver_version"; then
    echo "installing: appium-chromium-driver@$driver_version (npm)"
    "$appium" driver install --source=npm "appium-chromium-driver@$driver_version" >/dev/null 2>&1
  fi
  echo "appium: $("$appium" --version) ($appium)"
}

start() {
  local port=4723 dir="$appium_root/run"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      *) echo "appium.sh: unknown option $1" >&2; usage 2 ;;
    esac
  done
  [ -x "$appium" ] || { echo "appium.sh: Appium is not installed: run ./webdriver/appium.sh install" >&2; exit 1; }
  mkdir -p "$dir"
  if [ -s "$dir/pid" ]; then
    echo "appium.sh: $dir/pid names a running Appium: ./webdriver/appium.sh stop --dir $dir" >&2; exit 1
  fi
  # Its own process group, so that stopping it ends the chromedriver it started too.
  setsid "$appium" --address 127.0.0.1 --port "$port" --log-level info \
    >"$dir/appium.log" 2>&1 < /dev/null &
  echo $! >"$dir/pid"
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/status" 2>/dev/null | grep -q '"ready": *true'; then
      echo "http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done
  echo "appium.sh: Appium on port $port did not become ready; see $dir/appium.log" >&2
  return 1
}

stop() {
  local dir="$appium_root/run"
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      *) echo "appium.sh: unknown option $1" >&2; usage 2 ;;
    esac
  done
  [ -s "$dir/pid" ] || { echo "appium.sh: nothing started from $dir"; return 0; }
  local pid
  pid="$(cat "$dir/pid")"
  # The group `start` made: Appium and the drivers it started.
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$dir/pid"
  echo "appium stopped"
}

case "${1:-}" in
  install) shift; install "$@" ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  -h|--help|"") usage 0 ;;
  *) usage 2 ;;
esac
