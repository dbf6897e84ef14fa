#!/usr/bin/env bash
# Export benchmark: generate an archive with one conversation of N messages (default 1,000,000),
# then time `chatvault export html` (and txt and json) with peak memory from /usr/bin/time -v.
#
#   bench/export/run.sh [N]
#
# The archive is kept in $CHATVAULT_BENCH_DIR (default /tmp/chatvault-bench-export) and reused
# by later runs with the same N; outputs go there too and are removed after each export.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000000}"
dir="${CHATVAULT_BENCH_DIR:-/tmp/chatvault-bench-export}"
archive="$dir/archive-$n"
mkdir -p "$dir"
export CHATVAULT_PROGRESS=0 CHATVAULT_TZ=UTC

go build -o "$dir/chatvault" ./cmd/chatvault
go build -o "$dir/gen" ./bench/export/gen
if [ ! -e "$archive/archive.db" ]; then
  "$dir/gen" -archive "$archive" -n "$n"
fi

measure() { # name, then the command
  local name="$1"; shift
  local log="$dir/time-$name.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  printf '%-12s %10s wall  %6d MiB peak RSS  (%s)\n' "$name" "$wall" $((rss / 1024)) "$(grep 'Percent of CPU' "$log" | awk '{print $NF}') CPU"
}

echo "export of $n messages ($(nproc) cores):"
rm -rf "$dir/html"
measure "html" "$dir/chatvault" --archive "$archive" export html --out "$dir/html"
du -sh "$dir/html" | awk '{print "             html output: " $1}'
rm -rf "$dir/html"
measure "txt" "$dir/chatvault" --archive "$archive" export txt --chat 1 --out "$dir/chat.txt" --without-media
rm -f "$dir/chat.txt"
measure "json" "$dir/chatvault" --archive "$archive" export json --out "$dir/chats.jsonl"
rm -f "$dir/chats.jsonl"
