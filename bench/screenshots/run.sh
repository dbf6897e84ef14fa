#!/usr/bin/env bash
# Screenshots for docs/viewer.md: imports the sample chats in bench/screenshots/chats (a 1:1 chat,
# a two-person chat that does not say who the user is, a group, an Arabic chat) into a fresh
# archive, exports them as HTML, backs the archive up to a folder vault, and photographs each chat
# in the viewer, in the HTML export, and one browsed straight from the vault (`view --from`).
#
#   bench/screenshots/run.sh [OUT]      # OUT defaults to docs/screenshots
#
# Needs Chromium (apt-get install chromium, or CHATVAULT_CHROMIUM). Nothing outside a temporary
# folder is touched but OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-docs/screenshots}"
work="$(mktemp -d)"
viewer_pid=""
cleanup() {
  if [ -n "$viewer_pid" ]; then kill "$viewer_pid" 2>/dev/null || true; wait "$viewer_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Built with the caller's Go caches, before HOME moves.
go build -o "$work/chatvault" ./cmd/chatvault
go build -o "$work/shoot" ./bench/screenshots/shoot

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_STATE_HOME="$work/home/.local/state" XDG_CACHE_HOME="$work/home/.cache"
export CHATVAULT_ARCHIVE="$work/archive" CHATVAULT_TZ=UTC CHATVAULT_PROGRESS=0 CHATVAULT_PASSWORD=screenshot-sample-password
mkdir -p "$HOME"
cv="$work/chatvault"

# Alice first: her export's name says Bob is the user, which the later chats then know too.
chats=bench/screenshots/chats
"$cv" import "$chats/WhatsApp Chat with Alice.txt" "$chats/WhatsApp Chat with Family.txt" \
  "$chats/WhatsApp Chat with ليلى.txt" "$chats/Dana.txt"
"$cv" export html --out "$work/html" >/dev/null
"$cv" vault add usb "$work/vault" >/dev/null
"$cv" init usb >/dev/null
"$cv" backup >/dev/null

# view prints "Open URL"; wait for it, then photograph.
view() { # args for chatvault view; sets $url
  "$cv" view --no-browser "$@" >"$work/view.out" 2>&1 &
  viewer_pid=$!
  url=""
  for _ in $(seq 1 200); do
    url="$(sed -n 's/^Open \(http[^ ]*\)$/\1/p' "$work/view.out")"
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$work/view.out" >&2
  return 1
}
stop_view() { kill "$viewer_pid"; wait "$viewer_pid" 2>/dev/null || true; viewer_pid=""; }

html="file://$work/html/index.html"
view
"$work/shoot" -out "$out" \
  viewer-direct "$url" Alice \
  viewer-me-unknown "$url" Dana \
  viewer-group "$url" Family \
  viewer-rtl "$url" ليلى \
  export-direct "$html" Alice \
  export-me-unknown "$html" Dana \
  export-group "$html" Family \
  export-rtl "$html" ليلى
stop_view

view --from usb
"$work/shoot" -out "$out" vault-group "$url" Family
stop_view

ls -l "$out"/*.png
