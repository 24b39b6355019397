#!/bin/sh
# `make kiosk`: start the server unless it already answers, then Debian Chromium full-screen
# on the kiosk URL. Chromium runs in kiosk mode: no browser chrome, no error bubbles, no
# translate or first-run prompts. Needs a display (the kiosk's screen). A server this script
# started is stopped again when Chromium exits.
set -eu
HOST="${ATLAS_HOST:-127.0.0.1}"
PORT="${ATLAS_PORT:-8050}"
URL="http://${HOST}:${PORT}/?kiosk=1"
here="$(cd "$(dirname "$0")/.." && pwd)"
server=""

stop_server() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; }
trap stop_server EXIT INT TERM

if ! curl -fsS "http://${HOST}:${PORT}/healthz" >/dev/null 2>&1; then
  "$here/.venv/bin/atlas" serve &
  server=$!
  tries=0
  until curl -fsS "http://${HOST}:${PORT}/healthz" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 120 ] || ! kill -0 "$server" 2>/dev/null; then
      echo "kiosk: the server did not start on ${HOST}:${PORT}" >&2
      exit 1
    fi
    sleep 0.5
  done
fi

command -v chromium >/dev/null 2>&1 || { echo "kiosk: Debian chromium is missing (make test installs it)" >&2; exit 1; }
sandbox=""
[ "$(id -u)" -eq 0 ] && sandbox="--no-sandbox"  # Chromium refuses to run as root otherwise
# Without a window manager (a bare X session) --kiosk alone may not fill the screen: size the
# window to the display when xdpyinfo can tell, or to ATLAS_KIOSK_WINDOW (e.g. 3840,2160).
size="${ATLAS_KIOSK_WINDOW:-}"
if [ -z "$size" ] && command -v xdpyinfo >/dev/null 2>&1; then
  size=$(xdpyinfo 2>/dev/null | awk '/dimensions:/ {sub("x", ",", $2); print $2; exit}')
fi
[ -n "$size" ] && sandbox="$sandbox --window-position=0,0 --window-size=$size"
# shellcheck disable=SC2086
chromium $sandbox --kiosk --start-fullscreen --noerrdialogs --disable-infobars \
  --disable-session-crashed-bubble --disable-translate --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --check-for-update-interval=31536000 --overscroll-history-navigation=0 \
  --user-data-dir="${ATLAS_KIOSK_PROFILE:-/tmp/atlas-kiosk-profile}" "$URL"
