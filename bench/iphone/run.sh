#!/usr/bin/env bash
# iPhone backup import benchmarks, through the real binary (results in bench/out/iphone,
# git-ignored):
#   media: a backup with MEDIA files (default 2,000) of MEDIA_MB MiB in all (default 2,048)
#          imported into a fresh archive, against `cp -r` of the same backup folder on the same
#          disk, alternating ROUNDS times (default 3); then the same backup imported again
#          (nothing new) into the same archive. Target: import >= 80% of cp's speed.
#          What is compared: `cp -r` alone leaves its writes in the page cache, while the import
#          hashes every media file (SHA-256) and makes it durable (one syncfs before the commit
#          that names the files) before it exits. So each round also times the `sync` right
#          after cp, and prints the ratio against both `cp -r` and `cp -r && sync` (the like-for-
#          like figure: both have the bytes on disk when the clock stops). And it times
#          bench/iphone/floor, which only reads, hashes (SHA-256) and writes the same files on
#          four workers and flushes once: what hashing and storing costs on this machine.
#   messages: a backup whose sms.db holds N messages (default 1,000,000) without media, next to
#          the pure-Go SQLite single-writer floor measured in the same run.
#   again: a backup of N messages and MEDIA files of MEDIA_MB MiB imported into a fresh archive,
#          then the same backup imported again, ROUNDS times: the second import's time as a share
#          of the first's (target under 5% at 1,000,000 messages and 20 GB). Not part of "all".
#          WECHAT=M adds a WeChat account of M messages with a 16 KiB file per photo (5%),
#          WHATSAPP=M a WhatsApp ChatStorage.sqlite of M messages likewise.
# Peak RSS of every import (/usr/bin/time -v).
#
# WHAT=media or WHAT=messages runs one half only (default: both); WHAT=again the re-import.
#
#   bash bench/iphone/run.sh
#   WHAT=again N=1000000 MEDIA=20000 MEDIA_MB=20480 ROUNDS=3 bash bench/iphone/run.sh  # 40 GB of disk
#   WHAT=again N=1000 MEDIA=0 MEDIA_MB=0 WECHAT=1000000 ROUNDS=1 bash bench/iphone/run.sh
#   WHAT=media MEDIA=1000 MEDIA_MB=1024 ROUNDS=3 bash bench/iphone/run.sh
#   COLD=1 WHAT=media MEDIA=1000 MEDIA_MB=1024 ROUNDS=3 bash bench/iphone/run.sh  # page cache emptied first
#   N=200000 MEDIA_MB=512 bash bench/iphone/run.sh
set -euo pipefail
source "$(dirname "$0")/../warm-memory.sh"
cd "$(dirname "$0")/../.."
N=${N:-1000000}
MEDIA=${MEDIA:-2000}
MEDIA_MB=${MEDIA_MB:-2048}
ROUNDS=${ROUNDS:-3}
WHAT=${WHAT:-all}
out=$(realpath -m "${OUT:-bench/out/iphone}")
mkdir -p "$out"
go build -o "$out/chatvault" ./cmd/chatvault
go build -o "$out/gen" ./bench/iphone/gen
go build -o "$out/floor" ./bench/iphone/floor
export CHATVAULT_PROGRESS=0 XDG_CONFIG_HOME="$out/config" XDG_CACHE_HOME="$out/cache"

secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); if (n==3) print a[1]*3600+a[2]*60+a[3]; else print a[1]*60+a[2]}' "$1"; }
cpu() { awk '/User time/ {u=$NF} /System time/ {s=$NF} END {print u+s}' "$1"; }
rss() { awk '/Maximum resident set size/ {print int($NF/1024)}' "$1"; }
now() { date +%s.%N; }

if [ "$WHAT" = again ]; then
  ab="$out/again-backup-$N-$MEDIA-$MEDIA_MB${WECHAT:+-wechat-$WECHAT}${WHATSAPP:+-whatsapp-$WHATSAPP}"
  [ -d "$ab" ] || "$out/gen" -o "$ab" -n "$N" -media "$MEDIA" -media-mb "$MEDIA_MB" ${WECHAT:+-wechat "$WECHAT"} ${WHATSAPP:+-whatsapp "$WHATSAPP"}
  echo "machine: $(nproc) cores; backup $(du -sh "$ab" | cut -f1): $N messages, $MEDIA media files"
  rm -rf "$out/archive-again"; sync
  /usr/bin/time -v "$out/chatvault" --archive "$out/archive-again" --tz UTC import "$ab" --json > "$out/report-first.json" 2> "$out/time-first.txt"
  first=$(secs "$out/time-first.txt")
  awk -v i="$first" -v u="$(cpu "$out/time-first.txt")" -v rss="$(rss "$out/time-first.txt")" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN { printf "first import: %.2f s (CPU %.2f s, peak RSS %d MB), load %s\n", i, u, rss, l }'
  grep -m1 '"messages_added"' "$out/report-first.json"
  for r in $(seq "$ROUNDS"); do
    /usr/bin/time -v "$out/chatvault" --archive "$out/archive-again" --tz UTC import "$ab" --json > "$out/report-again.json" 2> "$out/time-again.txt"
    awk -v r="$r" -v i="$(secs "$out/time-again.txt")" -v f="$first" -v u="$(cpu "$out/time-again.txt")" -v rss="$(rss "$out/time-again.txt")" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
      'BEGIN { printf "import again %d (nothing new): %.2f s (CPU %.2f s, peak RSS %d MB) = %.1f%% of the first, load %s\n", r, i, u, rss, 100*i/f, l }'
    grep -m1 '"messages_added"' "$out/report-again.json"
  done
  exit 0
fi

if [ "$WHAT" != messages ]; then
mb="$out/media-backup-$MEDIA-$MEDIA_MB"
[ -d "$mb" ] || "$out/gen" -o "$mb" -n $((MEDIA * 5)) -media "$MEDIA" -media-mb "$MEDIA_MB"

echo "machine: $(nproc) cores; media backup $(du -sh "$mb" | cut -f1), $MEDIA files; load: $(cut -d' ' -f1-3 /proc/loadavg)"
# After each rm -rf the script waits 11 s: ext4 without a journal (as on the machine it was
# written on) skips inodes freed in the last 5-10 s when it creates files, reading each one's
# inode block, which made whichever side ran right after a deletion pay for the one before.
# COLD=1 (root only) also empties the page cache there, so each side reads the backup from the
# disk, as an import of yesterday's backup does; warm-cache rounds on the shared machine moved by
# a factor of two (cp -r of the same folder: 0.36 and 1.20 s).
settle() {
  sync
  sleep 11
  if [ -n "${COLD:-}" ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  warm_memory # bench/warm-memory.sh: memory the machine used lately, for every side alike
}
for r in $(seq "$ROUNDS"); do
  rm -rf "$out/cp-copy" "$out/archive-media" "$out/floor-copy"; settle
  /usr/bin/time -v cp -r "$mb" "$out/cp-copy" 2> "$out/time-cp.txt"
  t0=$(now); sync; t1=$(now)
  cp_s=$(secs "$out/time-cp.txt")
  sync_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b-a }')
  rm -rf "$out/cp-copy"; settle
  /usr/bin/time -v "$out/chatvault" --archive "$out/archive-media" --tz UTC import "$mb" --json > "$out/report-media.json" 2> "$out/time-media.txt"; sync
  im_s=$(secs "$out/time-media.txt")
  settle
  /usr/bin/time -v "$out/floor" -src "$mb" -dst "$out/floor-copy" > /dev/null 2> "$out/time-floor.txt"
  rm -rf "$out/floor-copy"
  awk -v r="$r" -v c="$cp_s" -v cu="$(cpu "$out/time-cp.txt")" -v y="$sync_s" -v i="$im_s" -v u="$(cpu "$out/time-media.txt")" \
    -v f="$(secs "$out/time-floor.txt")" -v fu="$(cpu "$out/time-floor.txt")" -v m="$MEDIA_MB" -v rss="$(rss "$out/time-media.txt")" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "round %d (load %s): cp -r %.2f s (%.0f MiB/s, CPU %.2f s), cp -r && sync %.2f s  import %.2f s (%.0f MiB/s, CPU %.2f s, peak RSS %d MB)  floor %.2f s (CPU %.2f s)  import/cp speed %.0f%%, import/(cp && sync) %.0f%%, import/floor %.0f%%\n", r, l, c, m/c, cu, c+y, i, m/i, u, rss, f, fu, 100*c/i, 100*(c+y)/i, 100*f/i }'
done
/usr/bin/time -v "$out/chatvault" --archive "$out/archive-media" --tz UTC import "$mb" --json > "$out/report-again.json" 2> "$out/time-again.txt"
awk -v i="$(secs "$out/time-again.txt")" -v rss="$(rss "$out/time-again.txt")" \
  'BEGIN { printf "import again (nothing new): %.2f s, peak RSS %d MB\n", i, rss }'
grep -m1 '"messages_added"' "$out/report-again.json"
fi

[ "$WHAT" != media ] || exit 0
nb="$out/msg-backup-$N"
[ -d "$nb" ] || "$out/gen" -o "$nb" -n "$N"
rm -rf "$out/archive-msg"
/usr/bin/time -v "$out/chatvault" --archive "$out/archive-msg" --tz UTC import "$nb" --json > "$out/report-msg.json" 2> "$out/time-msg.txt"
added=$(grep -m1 '"messages_added"' "$out/report-msg.json" | tr -dc 0-9)
awk -v n="$added" -v s="$(secs "$out/time-msg.txt")" -v rss="$(rss "$out/time-msg.txt")" \
  'BEGIN { printf "messages: %d in %.2f s = %.0f messages/s, peak RSS %d MB\n", n, s, n/s, rss }'
FLOOR_N="$N" go test ./bench/sqlite -run XXX -bench Floor -benchtime 1x | grep -E 'Floor|ok'
