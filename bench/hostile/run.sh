#!/usr/bin/env bash
# Hostile-input benchmark (issue 10): inputs that used to grow memory without bound or take
# quadratic time must end quickly, with bounded memory and the documented outcome. Each case runs
# the real binary under /usr/bin/time -v next to a peer doing the unavoidable part of the same work
# in the same run, alternating ROUNDS times (default 3); medians. Results in bench/out/hostile.
#
#   huge-lines   one message of HUGE_MB MiB (default 500) made of short lines, between two normal
#                messages: the import must refuse it naming file and line (exit 3), quickly, in
#                bounded memory. Peer: `wc -l` reading the same file.
#   huge-line    the same size as a single line without a newline. Peer: `wc -l`.
#   folder       a folder of FILES (default 10,000) tiny chat exports of 3 messages each: every chat
#                imported. Peer: one export holding the same messages (FILES x 3) in one file, so the
#                ratio is the cost of many small files.
#   junk-folder  a folder of FILES tiny files that are no chat export: every one named as skipped,
#                exit 3 (nothing in the folder could be imported). Peer: `cat` of every file.
#
#   bash bench/hostile/run.sh
#   HUGE_MB=100 FILES=2000 ROUNDS=1 bash bench/hostile/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HUGE_MB=${HUGE_MB:-500}
FILES=${FILES:-10000}
ROUNDS=${ROUNDS:-3}
out=${OUT:-bench/out/hostile}
mkdir -p "$out"; out=$(cd "$out" && pwd)
go build -o "$out/chatvault" ./cmd/chatvault
cv="$out/chatvault"

secs() { grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { grep 'Maximum resident set size' "$1" | awk '{print int($NF/1024)}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Inputs (made once, kept between runs).
gen_inputs() {
  local d="$out/huge-lines"
  if [ ! -f "$d/WhatsApp Chat with Huge.txt" ]; then
    mkdir -p "$d"
    {
      echo "1/2/24, 10:00 - Alice: before"
      echo "1/2/24, 10:01 - Bob: the long one starts here"
      (yes "a short line that goes on and on" || true) | head -c "$((HUGE_MB << 20))"
      echo
      echo "1/2/24, 10:02 - Alice: after"
    } > "$d/WhatsApp Chat with Huge.txt"
  fi
  d="$out/huge-line"
  if [ ! -f "$d/WhatsApp Chat with Huge.txt" ]; then
    mkdir -p "$d"
    {
      echo "1/2/24, 10:00 - Alice: before"
      printf '1/2/24, 10:01 - Bob: '
      head -c "$((HUGE_MB << 20))" /dev/zero | tr '\0' 'x'
      echo
      echo "1/2/24, 10:02 - Alice: after"
    } > "$d/WhatsApp Chat with Huge.txt"
  fi
  d="$out/folder-$FILES"
  if [ ! -d "$d" ]; then
    mkdir -p "$d.tmp" "$out/one-$FILES"
    awk -v n="$FILES" -v dir="$d.tmp" -v one="$out/one-$FILES/WhatsApp Chat with Everyone.txt" 'BEGIN {
      for (i = 1; i <= n; i++) {
        f = sprintf("%s/WhatsApp Chat with Person %05d.txt", dir, i)
        m = (i % 28) + 1
        printf "%d/%d/23, 09:%02d - Person %05d: hello number %d\n", m % 12 + 1, m, i % 60, i, i > f
        printf "%d/%d/23, 09:%02d - Me: hi %d\n", m % 12 + 1, m, i % 60, i > f
        printf "%d/%d/23, 09:%02d - Person %05d: bye %d\n", m % 12 + 1, m, i % 60, i, i > f
        close(f)
        printf "%d/%d/23, 09:%02d - Person %05d: hello number %d\n", m % 12 + 1, m, i % 60, i, i > one
        printf "%d/%d/23, 09:%02d - Me: hi %d\n", m % 12 + 1, m, i % 60, i > one
        printf "%d/%d/23, 09:%02d - Person %05d: bye %d\n", m % 12 + 1, m, i % 60, i, i > one
      }
    }'
    mv "$d.tmp" "$d"
  fi
  d="$out/junk-$FILES"
  if [ ! -d "$d" ]; then
    mkdir -p "$d.tmp"
    awk -v n="$FILES" -v dir="$d.tmp" 'BEGIN {
      for (i = 1; i <= n; i++) {
        f = sprintf("%s/notes-%05d.txt", dir, i)
        printf "shopping list %d\nmilk\nbread\n", i > f
        close(f)
      }
    }'
    mv "$d.tmp" "$d"
  fi
}
gen_inputs

# run CASE KIND CMD...: one timed run, appending time and RSS, keeping the last output.
run() {
  local c=$1 k=$2; shift 2
  local rc=0
  /usr/bin/time -v -o "$out/t" "$@" > "$out/$c-$k.out" 2> "$out/$c-$k.err" || rc=$?
  secs "$out/t" >> "$out/$c-$k.times"
  rss "$out/t" >> "$out/$c-$k.rss"
  echo "$rc" > "$out/$c-$k.rc"
}
# A fresh archive for every import, made outside the timed command.
cat > "$out/import.sh" <<EOS
#!/usr/bin/env bash
exec "$cv" --archive "$out/archive" --tz UTC import "\$@"
EOS
chmod +x "$out/import.sh"
imp() { rm -rf "$out/archive"; run "$@"; }

echo "hostile inputs: HUGE_MB=$HUGE_MB FILES=$FILES ROUNDS=$ROUNDS  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
cases="huge-lines huge-line folder junk-folder"
for c in $cases; do for k in cv peer; do : > "$out/$c-$k.times"; : > "$out/$c-$k.rss"; done; done
for i in $(seq "$ROUNDS"); do
  imp huge-lines cv "$out/import.sh" "$out/huge-lines"
  run huge-lines peer wc -l "$out/huge-lines/WhatsApp Chat with Huge.txt"
  imp huge-line cv "$out/import.sh" "$out/huge-line"
  run huge-line peer wc -l "$out/huge-line/WhatsApp Chat with Huge.txt"
  imp folder cv "$out/import.sh" "$out/folder-$FILES"
  imp folder peer "$out/import.sh" "$out/one-$FILES"
  imp junk-folder cv "$out/import.sh" "$out/junk-$FILES"
  run junk-folder peer bash -c "cat '$out/junk-$FILES'/* > /dev/null"
done
for c in $cases; do
  a=$(median < "$out/$c-cv.times"); p=$(median < "$out/$c-peer.times")
  ar=$(median < "$out/$c-cv.rss"); pr=$(median < "$out/$c-peer.rss")
  printf '%-12s chatvault %7.2f s (exit %s, peak RSS %4d MB)   peer %7.2f s (RSS %4d MB)   ratio %.2f\n' \
    "$c" "$a" "$(cat "$out/$c-cv.rc")" "$ar" "$p" "$pr" "$(awk -v a="$a" -v p="$p" 'BEGIN { print (p > 0) ? a/p : 0 }')"
  echo "             stderr: $(tail -2 "$out/$c-cv.err" | tr '\n' ' ' | cut -c1-220)"
  echo "             stdout: $(tail -2 "$out/$c-cv.out" | tr '\n' ' ' | cut -c1-220)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
