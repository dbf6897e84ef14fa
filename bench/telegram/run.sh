#!/usr/bin/env bash
# Telegram import benchmark: import a generated whole-account result.json of N messages (default
# 1,000,000) into a fresh archive with `chatvault import`, report messages/s and peak RSS, and
# measure the pure-Go SQLite single-writer floor (bench/sqlite) in the same run for comparison.
# Results go to bench/out/telegram (git-ignored).
#
#   bash bench/telegram/run.sh            # N=1000000
#   N=200000 bash bench/telegram/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000000}
out=${OUT:-bench/out/telegram}
mkdir -p "$out"
go build -o "$out/chatvault" ./cmd/chatvault
go build -o "$out/tggen" ./bench/telegram/tggen

src="$out/export-$N"
if [ ! -f "$src/result.json" ]; then
  mkdir -p "$src"
  "$out/tggen" -n "$N" -o "$src/result.json"
fi
echo "N=$N  result.json $(du -m "$src/result.json" | cut -f1) MB  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
rm -rf "$out/archive"
/usr/bin/time -v "$out/chatvault" --archive "$out/archive" --tz UTC import "$src" --json \
  > "$out/report.json" 2> "$out/time.txt" || { tail -5 "$out/time.txt"; exit 1; }
secs=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print $NF}')
added=$(grep -m1 '"messages_added"' "$out/report.json" | tr -dc 0-9)
awk -v n="$added" -v s="$secs" -v r="$rss" \
  'BEGIN { printf "telegram import: %d messages in %.2f s = %.0f messages/s, peak RSS %.0f MB\n", n, s, n/s, r/1024 }'
echo "floor (bench/sqlite, same run):"
go test ./bench/sqlite -run XXX -bench Floor -benchtime 1x | grep -E 'Benchmark|msgs'
