#!/bin/sh
# `make kiosk`: start the server unless it already answers, then Debian Chromium full-screen
# on the kiosk URL. Chromium runs in kiosk mode: no browser chrome, no error bubbles, no
# translate or first-run prompts. Needs a display (the kiosk's screen).
set -eu
HOST="${ATLAS_HOST:-127.0.0.1}"
PORT="${ATLAS_PORT:-8050}"
URL="http://${HOST}:${PORT}/?kiosk=1"
here="$(cd "$(dirname "$0")/.." && pwd)"

if ! curl -fsS "http://${HOST}:${PORT}/healthz" >/dev/null 2>&1; then
  "$here/.venv/bin/atlas" serve &
  echo "$!" > "$here/.venv/kiosk-server.pid"
  tries=0
  until curl -fsS "http://${HOST}:${PORT}/healthz" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -gt 120 ] && { echo "kiosk: server did not start on ${HOST}:${PORT}" >&2; exit 1; }
    sleep 0.5
  done
fi

command -v chromium >/dev/null 2>&1 || { echo "kiosk: Debian chromium is missing (make test installs it)" >&2; exit 1; }
exec chromium --kiosk --start-fullscreen --noerrdialogs --disable-infobars \
  --disable-session-crashed-bubble --disable-translate --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --check-for-update-interval=31536000 --overscroll-history-navigation=0 \
  --user-data-dir="${ATLAS_KIOSK_PROFILE:-/tmp/atlas-kiosk-profile}" "$URL"
