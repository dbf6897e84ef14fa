#!/usr/bin/env bash
# Incremental backup cost on a big archive, through the real binary:
#   1. import a generated 1,000,000-message WhatsApp export whose folder holds ~50,000 media files
#      (bench/whatsapp/run-import.sh makes it; about 1.6 GB);
#   2. first backup to a local vault; 3. a backup with nothing changed;
#   4. import one new message, back up again; 5. restore the latest snapshot into a new folder.
# Reports wall time, uploaded bytes and peak RSS of each step. Results in bench/out/backup.
#
#   bash bench/backup/run.sh             # N=1000000
#   N=100000 bash bench/backup/run.sh    # quicker
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000000}
out=$(realpath -m "${OUT:-bench/out/backup}")
src=bench/out/whatsapp/media-$N
if [ ! -d "$src" ]; then
  N=$N bash bench/whatsapp/run-import.sh >/dev/null
fi
mkdir -p "$out"
go build -o "$out/chatvault" ./cmd/chatvault
cv="$out/chatvault"
export CHATVAULT_PASSWORD="bench password 1234" CHATVAULT_PROGRESS=0
export XDG_CONFIG_HOME="$out/config" XDG_CACHE_HOME="$out/cache"
arch="$out/archive"

step() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/$name.out" 2> "$out/$name.err" || { cat "$out/$name.err"; exit 1; }
  read -r secs rss < "$out/time.txt"
  local up
  up=$(grep -m1 '"uploaded_bytes"' "$out/$name.out" 2>/dev/null | tr -dc 0-9 || true)
  printf "%-22s %7.2f s   peak RSS %4d MB" "$name" "$secs" $((rss / 1024))
  [ -n "$up" ] && printf "   uploaded %s bytes" "$up"
  printf "\n"
}

rm -rf "$arch" "$out/vault" "$out/config" "$out/cache" "$out/restored"
echo "N=$N  machine: $(nproc) cores; source $src ($(du -sh "$src" | cut -f1))"
step import              "$cv" --archive "$arch" --tz UTC import "$src" --json
"$cv" --archive "$arch" stats --json | grep -E '"messages"|"media_bytes"' | tr -d ' ,' | paste -sd' '
"$cv" vault add bench "$out/vault" >/dev/null
"$cv" init bench >/dev/null
step first-backup        "$cv" --archive "$arch" backup --json
step unchanged-backup    "$cv" --archive "$arch" backup --json
last=$(tail -n 1 "$src/WhatsApp Chat with Bench.txt" | cut -c1-10)
printf '31/12/2030, 23:59 - Alice: one more message after all these years\n' > "$out/WhatsApp Chat with Bench.txt"
step import-one          "$cv" --archive "$arch" --tz UTC import "$out/WhatsApp Chat with Bench.txt" --json
step one-message-backup  "$cv" --archive "$arch" backup --json
step restore             "$cv" restore --from "$out/vault" --to "$out/restored" --json
step verify-read-data    "$cv" verify bench --read-data --json
