#!/usr/bin/env bash
# Side-by-side: the WhatsApp text import and the exports of this checkout against another
# revision (default: the commit before the foundation v2 change), alternating runs on the same
# generated export, medians and ratios, with the machine's load. For "nothing got slower" checks.
#
#   bash bench/compare/run.sh                 # BASE=f38a9a8 N=1000000 RUNS=3
#   BASE=HEAD~5 N=300000 RUNS=5 bash bench/compare/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${BASE:-f38a9a8}
N=${N:-1000000}
RUNS=${RUNS:-3}
out=${OUT:-bench/out/compare}
mkdir -p "$out"
go build -o "$out/new" ./cmd/chatvault
go build -o "$out/watool" ./bench/whatsapp/watool
if [ ! -x "$out/base-$BASE" ]; then
  wt=$(mktemp -d)
  git worktree add -q --detach "$wt" "$BASE"
  (cd "$wt" && go build -o "$OLDPWD/$out/base-$BASE" ./cmd/chatvault)
  git worktree remove --force "$wt"
fi
src="$out/text-$N/WhatsApp Chat with Bench.txt"
if [ ! -f "$src" ]; then
  mkdir -p "$(dirname "$src")"
  "$out/watool" gen -n "$N" -o "$src"
fi

secs() { grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { grep 'Maximum resident set size' "$1" | awk '{print int($NF/1024)}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "N=$N runs=$RUNS base=$BASE load: $(cut -d' ' -f1-3 /proc/loadavg)"
for step in import html json; do
  for bin in base new; do : > "$out/$step-$bin.times"; : > "$out/$step-$bin.rss"; done
done
for i in $(seq "$RUNS"); do
  for bin in base new; do
    exe="$out/new"; [ "$bin" = base ] && exe="$out/base-$BASE"
    arch="$out/archive-$bin"
    rm -rf "$arch" "$out/html-$bin" "$out/json-$bin"
    /usr/bin/time -v "$exe" --archive "$arch" --tz UTC import "$(dirname "$src")" >/dev/null 2>"$out/t"
    secs "$out/t" >> "$out/import-$bin.times"; rss "$out/t" >> "$out/import-$bin.rss"
    /usr/bin/time -v "$exe" --archive "$arch" export html --out "$out/html-$bin" >/dev/null 2>"$out/t"
    secs "$out/t" >> "$out/html-$bin.times"; rss "$out/t" >> "$out/html-$bin.rss"
    /usr/bin/time -v "$exe" --archive "$arch" export json --out "$out/json-$bin" >/dev/null 2>"$out/t"
    secs "$out/t" >> "$out/json-$bin.times"; rss "$out/t" >> "$out/json-$bin.rss"
  done
done
for step in import html json; do
  b=$(median < "$out/$step-base.times"); n=$(median < "$out/$step-new.times")
  br=$(median < "$out/$step-base.rss"); nr=$(median < "$out/$step-new.rss")
  awk -v s="$step" -v b="$b" -v n="$n" -v br="$br" -v nr="$nr" -v N="$N" 'BEGIN {
    extra = (s == "import") ? sprintf("  (%.0f vs %.0f msgs/s)", N/b, N/n) : ""
    printf "%-7s base %6.2f s  new %6.2f s  new/base %.2f%s  peak RSS %d / %d MB\n", s, b, n, n/b, extra, br, nr }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
