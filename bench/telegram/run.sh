#!/usr/bin/env bash
# Telegram import benchmark: import a generated whole-account result.json of N messages (default
# 1,000,000) into a fresh archive with `chatvault import`, report messages/s, CPU time and peak
# RSS, and measure the pure-Go SQLite single-writer floor (bench/sqlite, archive schema, with its
# CPU time) in the same run, with the import's ratio to it. Results go to bench/out/telegram (git-ignored).
#
#   bash bench/telegram/run.sh                      # N=1000000
#   N=200000 bash bench/telegram/run.sh
#   BASE=/tmp/old/chatvault bash bench/telegram/run.sh   # also import with an older build, same run
#   ROUNDS=5 bash bench/telegram/run.sh             # (base,) import, floor, alternating five times,
#                                                   # then the median of each ratio
# The machine's speed moves from minute to minute (docs/speed.md): one round's ratio says little.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/warm-memory.sh # warm_memory before every timed step: see there
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

# run_import BINARY LABEL: one import into a fresh archive; sets rate.
run_import() {
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/archive"
  warm_memory
  /usr/bin/time -v "$1" --archive "$out/archive" --tz UTC import "$src" --json \
    > "$out/report.json" 2> "$out/time.txt" || { tail -5 "$out/time.txt"; exit 1; }
  local secs rss cpu added
  secs=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print $NF}')
  cpu=$(awk -F: '/User time|System time/ { s += $2 } END { print s }' "$out/time.txt")
  added=$(grep -m1 '"messages_added"' "$out/report.json" | tr -dc 0-9)
  rate=$(awk -v n="$added" -v s="$secs" 'BEGIN { printf "%.0f", n/s }')
  awk -v l="$2" -v n="$added" -v s="$secs" -v c="$cpu" -v r="$rss" \
    'BEGIN { printf "%s: %d messages in %.2f s = %.0f messages/s, CPU %.1f s (user+sys), peak RSS %.0f MB\n", l, n, s, n/s, c, r/1024 }'
}

go test -c -o "$out/sqlite.test" ./bench/sqlite
ratios=() base_ratios=()
for round in $(seq "${ROUNDS:-1}"); do
  [ "${ROUNDS:-1}" -gt 1 ] && echo "round $round"
  if [ -n "${BASE:-}" ]; then
    run_import "$BASE" "telegram import ($BASE)"
    base=$rate
  fi
  run_import "$out/chatvault" "telegram import"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "floor (bench/sqlite archive-schema, same run):"
  warm_memory
  (cd bench/sqlite && FLOOR_N="$N" /usr/bin/time -f "floor CPU %U s user %S s sys" "$OLDPWD/$out/sqlite.test" \
    -test.run XXX -test.bench 'Floor/archive-schema$' -test.benchtime 1x) 2>&1 | grep -E 'Benchmark|CPU' | tee "$out/floor.txt"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  floor=$(awk '/archive-schema/ { for (i = 1; i < NF; i++) if ($(i+1) == "rows/s") print $i }' "$out/floor.txt")
  ratios+=("$(awk -v r="$rate" -v f="$floor" 'BEGIN { printf "%.2f", r/f }')")
  echo "telegram import / archive-schema floor = ${ratios[-1]}x (target 0.75x)"
  if [ -n "${BASE:-}" ]; then
    base_ratios+=("$(awk -v r="$base" -v f="$floor" 'BEGIN { printf "%.2f", r/f }')")
    echo "base import / archive-schema floor = ${base_ratios[-1]}x"
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
if [ "${ROUNDS:-1}" -gt 1 ]; then
  echo "import / floor by round: ${ratios[*]}; median $(median "${ratios[@]}") (target 0.75)"
  if [ -n "${BASE:-}" ]; then
    echo "base / floor by round: ${base_ratios[*]}; median $(median "${base_ratios[@]}")"
  fi
fi
