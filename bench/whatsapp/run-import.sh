#!/usr/bin/env bash
# End-to-end WhatsApp import benchmark: parse, dedup, store and index a generated export of
# N messages (default 1,000,000) into a fresh archive, as `chatvault import` does, and report
# messages/s and peak RSS. Three variants: text only; 5% of messages referring to a media file
# the export does not include (refs: "<attached: ...>" lines, kept as attachments whose file is
# missing); and the same with every referenced file in the export folder (media: 2-64 KiB each,
# 1.6 GB at N=1M). Run from anywhere; results go to bench/out/whatsapp (git-ignored).
#
#   bash bench/whatsapp/run-import.sh            # N=1000000
#   N=200000 bash bench/whatsapp/run-import.sh
#   VARIANTS=text ROUNDS=3 FLOOR=1 bash bench/whatsapp/run-import.sh
#       the text variant three times, each followed by bench/sqlite's single-writer floor
#       (Floor/archive-schema), with the import's ratio to it: alternating in one run, since the
#       machine's speed moves from minute to minute
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/warm-memory.sh # warm_memory before every timed step: see there
N=${N:-1000000}
out=${OUT:-bench/out/whatsapp}
mkdir -p "$out"
go build -o "$out/chatvault" ./cmd/chatvault
go build -o "$out/watool" ./bench/whatsapp/watool

text="$out/text-$N/WhatsApp Chat with Bench.txt"
media="$out/media-$N/WhatsApp Chat with Bench.txt"
if [ ! -f "$text" ]; then
  mkdir -p "$(dirname "$text")"
  "$out/watool" gen -n "$N" -o "$text"
fi
if [ ! -f "$media" ]; then
  mkdir -p "$(dirname "$media")"
  "$out/watool" gen -n "$N" -media 0.05 -o "$media"
  # The media files the chat names, 2-64 KiB of random bytes each, like small photos and voice notes.
  grep -aoE '[A-Za-z0-9_-]+\.(jpg|opus|mp4|webp|pdf|vcf|jpeg|png|m4a|aac)( \(file attached\)|>)' "$media" \
    | sed -E 's/( \(file attached\)|>)$//' | sort -u | while read -r f; do
      head -c $(( (RANDOM % 63 + 2) * 1024 )) /dev/urandom > "$(dirname "$media")/$f"
    done
fi

refs="$out/refs-$N/WhatsApp Chat with Bench.txt"
if [ ! -f "$refs" ]; then
  mkdir -p "$(dirname "$refs")"
  ln "$media" "$refs" 2>/dev/null || cp "$media" "$refs"
fi

echo "N=$N  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ -n "${FLOOR:-}" ]; then
  go test -c -o "$out/sqlite.test" ./bench/sqlite
fi
for round in $(seq "${ROUNDS:-1}"); do
for variant in ${VARIANTS:-text refs media}; do
  src="$out/$variant-$N"
  rm -rf "$out/archive-$variant"
  warm_memory
  /usr/bin/time -v "$out/chatvault" --archive "$out/archive-$variant" --tz UTC import "$src" --json \
    > "$out/report-$variant.json" 2> "$out/time-$variant.txt"
  secs=$(grep 'Elapsed (wall clock)' "$out/time-$variant.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/time-$variant.txt" | awk '{print $NF}')
  added=$(grep -m1 '"messages_added"' "$out/report-$variant.json" | tr -dc 0-9)
  media_added=$(grep -m1 '"media_added"' "$out/report-$variant.json" | tr -dc 0-9)
  awk -v v="$variant" -v n="$added" -v s="$secs" -v r="$rss" -v m="$media_added" \
    'BEGIN { printf "%-6s %d messages (%d media files) in %.2f s = %.0f messages/s, peak RSS %.0f MB\n", v, n, m, s, n/s, r/1024 }'
  rate=$(awk -v n="$added" -v s="$secs" 'BEGIN { printf "%.0f", n/s }')
done
if [ -n "${FLOOR:-}" ]; then
  warm_memory
  floor=$(cd bench/sqlite && FLOOR_N="$N" "$OLDPWD/$out/sqlite.test" -test.run XXX -test.bench 'Floor/archive-schema$' -test.benchtime 1x |
    awk '/archive-schema/ { for (i = 1; i < NF; i++) if ($(i+1) == "rows/s") print $i }')
  awk -v r="$rate" -v f="$floor" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "floor %.0f rows/s; last import / floor = %.2f (target 0.85), load %s\n", f, r/f, l }'
fi
done
