#!/usr/bin/env bash
# chatvault's backups side by side with kopia's and restic's CLI, on the same archive folder, in
# one run (issue 11's table):
#   first backup      chatvault vault add + init + backup   | kopia repository create + snapshot
#                                                           | restic init + backup
#   unchanged backup  the same backup again, nothing changed
#   one new message   `chatvault import` of one message, then each tool backs up again
#   restore           chatvault restore --from VAULT        | kopia snapshot restore | restic restore
# Each round runs every step for the three tools, in an order that rotates each round (so no tool
# always runs first or right after another's disk cache warm-up); medians over ROUNDS. Every
# step is a whole process: wall time, peak RSS, and the bytes it added at the destination (the
# destination folder's size before and after). The archive is a 1,000,000-message WhatsApp export
# with ~50,000 media files (~1.7 GB) imported once (bench/whatsapp/run-import.sh generates it).
#
#   bash bench/backup/compare.sh                 # N=1000000 ROUNDS=3
#   N=100000 ROUNDS=1 bash bench/backup/compare.sh
#   ONLY=unchanged ROUNDS=9 bash bench/backup/compare.sh   # again, after a full run: only the
#   ONLY=one-more ROUNDS=9 bash bench/backup/compare.sh    # backup with nothing changed (after
#   ONLY=restore ROUNDS=5 bash bench/backup/compare.sh     # one new message; the full restore),
#       on the archive and the three repositories that run left
#   ONLY=first ROUNDS=5 bash bench/backup/compare.sh       # the first backup again, into new
#       repositories
#   CV=/path/to/chatvault ...: another chatvault build (an older one, to compare)
#   COLD=1 ...: empty the page cache before every step (root only): every tool reads from the
#       disk, as on a new machine or after a day of other work. On the shared development machine
#       this also made runs repeatable: with a warm cache one binary's first backup took 8-12 s
#       from run to run, its system time moving with where the kernel found memory for new pages.
#   Every step, cold or not, first touches 4 GiB of memory and frees it (bench/warm-memory.sh,
#   WARM=0 to skip): on a virtual machine, memory the guest has not used lately costs a host
#   fault on first write, and that, not the tools, made warm-cache runs swing.
#
# Each step is also timed to the end of a `sync` right after it ("durable"): chatvault's backups and
# restores flush what they wrote before they exit, kopia's and restic's leave it to the kernel.
#
# Results: bench/out/backup-compare/results.tsv (every measurement) and summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/warm-memory.sh
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
out=$(realpath -m "${OUT:-bench/out/backup-compare}")
src=bench/out/whatsapp/media-$N
[ -d "$src" ] || N=$N bash bench/whatsapp/run-import.sh >/dev/null

mkdir -p "$out" bin
go build -o "$out/chatvault" ./cmd/chatvault
[ -x bin/kopia ] || go build -o bin/kopia github.com/kopia/kopia
[ -x bin/restic ] || GOBIN=$PWD/bin go install github.com/restic/restic/cmd/restic@v0.17.3
kopia=$PWD/bin/kopia restic=$PWD/bin/restic cv=${CV:-$out/chatvault}

# Each tool's settings live in its own folders and reach only its own processes, so one tool's
# environment never changes another's behaviour.
pw="bench password 1234"
cvenv=(env CHATVAULT_PASSWORD="$pw" CHATVAULT_PROGRESS=0 XDG_CONFIG_HOME="$out/cv-config" XDG_CACHE_HOME="$out/cv-cache")
kenv=(env KOPIA_PASSWORD="$pw" KOPIA_CONFIG_PATH="$out/kopia.config" KOPIA_CACHE_DIRECTORY="$out/kopia-cache"
  KOPIA_LOG_DIR="$out/kopia-logs" KOPIA_CHECK_FOR_UPDATES=false)
renv=(env RESTIC_PASSWORD="$pw" RESTIC_CACHE_DIR="$out/restic-cache" RESTIC_REPOSITORY="$out/restic-repo")
arch="$out/archive"

results="$out/results${ONLY:+-$ONLY}.tsv"
printf 'round\tstep\ttool\tseconds\tpeak_rss_kb\tadded_bytes\tsync_seconds\n' > "$results"

size() { du -sb "$1" 2>/dev/null | cut -f1 || echo 0; }

# measure ROUND STEP TOOL DEST CMD...: one whole process, timed; DEST's growth is what it added.
measure() {
  local round=$1 step=$2 tool=$3 dest=$4; shift 4
  local before after
  before=$(size "$dest")
  # What the previous tool wrote and the kernel has not yet written out is flushed first: a
  # step that syncs its own files (chatvault's do) would otherwise also wait for it.
  sync
  if [ -n "${COLD:-}" ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  warm_memory
  if ! /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/last.out" 2> "$out/last.err"; then
    echo "$tool $step failed:" >&2; tail -5 "$out/last.err" >&2; exit 1
  fi
  # Then the time until what the step wrote is on the disk: chatvault flushes its vault and
  # archive before it exits, kopia and restic leave their writes to the kernel. Step time plus
  # this is the like-for-like figure (the "durable" columns).
  local t0 t1 syncs
  t0=$(date +%s.%N); sync; t1=$(date +%s.%N)
  syncs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  after=$(size "$dest")
  read -r secs rss < "$out/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$step" "$tool" "$secs" "$rss" $((after - before)) "$syncs" >> "$results"
  printf '  %-10s %-8s %7.2f s  %5d MB  +%s bytes  then sync %s s\n' "$step" "$tool" "$secs" $((rss / 1024)) $((after - before)) "$syncs"
}

# Each step of one tool; $1 is the round.
# A first backup measures every month: the months an earlier round's backup measured are
# forgotten first (sqlite3), as after the import that made the archive. (Until 2026-12-04 only
# ONLY=first did this; a full run's later rounds timed first backups of measured months.)
cv_first() {
  rm -rf "$out/cv-vault" "$out/cv-config" "$out/cv-cache"
  sqlite3 "$arch/archive.db" 'UPDATE dump_months SET digest_of = 0'
  measure "$1" first chatvault "$out/cv-vault" sh -c '"$@" vault add bench "'"$out/cv-vault"'" >/dev/null && "$@" init bench >/dev/null && "$@" --archive "'"$arch"'" backup' _ "${cvenv[@]}" "$cv"
}
kopia_first() {
  rm -rf "$out/kopia-repo" "$out/kopia.config" "$out/kopia-cache"
  measure "$1" first kopia "$out/kopia-repo" sh -c '"$@" repository create filesystem --path "'"$out/kopia-repo"'" >/dev/null && "$@" snapshot create "'"$arch"'"' _ "${kenv[@]}" "$kopia"
}
restic_first() {
  rm -rf "$out/restic-repo" "$out/restic-cache"
  measure "$1" first restic "$out/restic-repo" sh -c '"$@" init -q && "$@" backup -q "'"$arch"'"' _ "${renv[@]}" "$restic"
}
# PROFILE=DIR: each chatvault backup after the first writes its CPU profile to DIR/STEP-ROUND.prof.
cv_again() { measure "$1" "$2" chatvault "$out/cv-vault" "${cvenv[@]}" CHATVAULT_CPUPROFILE="${PROFILE:+$PROFILE/$2-$1.prof}" "$cv" --archive "$arch" backup; }
kopia_again() { measure "$1" "$2" kopia "$out/kopia-repo" "${kenv[@]}" "$kopia" snapshot create "$arch"; }
restic_again() { measure "$1" "$2" restic "$out/restic-repo" "${renv[@]}" "$restic" backup -q "$arch"; }
cv_restore() {
  rm -rf "$out/restored"
  measure "$1" restore chatvault "$out/restored" "${cvenv[@]}" XDG_CONFIG_HOME="$out/cv-config-restore" "$cv" restore --from "$out/cv-vault" --to "$out/restored"
  rm -rf "$out/restored" "$out/cv-config-restore"
}
kopia_restore() {
  rm -rf "$out/restored"
  local list id re='"id": *"([^"]+)"'
  # The whole listing first: grep -m1 in a pipe stopped kopia with SIGPIPE, which pipefail made fatal.
  list=$("${kenv[@]}" "$kopia" snapshot list "$arch" --json)
  [[ $list =~ $re ]] && id=${BASH_REMATCH[1]}
  measure "$1" restore kopia "$out/restored" "${kenv[@]}" "$kopia" snapshot restore "$id" "$out/restored"
  rm -rf "$out/restored"
}
restic_restore() {
  rm -rf "$out/restored"
  measure "$1" restore restic "$out/restored" "${renv[@]}" "$restic" restore latest --target "$out/restored" -q
  rm -rf "$out/restored"
}

# rotate ROUND sets order: round 1 cv kopia restic, round 2 kopia restic cv, ...
tools=(cv kopia restic)
rotate() {
  order=()
  for i in 0 1 2; do order+=("${tools[$(((i + $1 - 1) % 3))]}"); done
  echo "round $1 (${order[*]}), load $(cut -d' ' -f1 /proc/loadavg)"
}

echo "N=$N ROUNDS=$ROUNDS  $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${ONLY:-}" ]; then
  case $ONLY in first | unchanged | one-more | restore) ;; *) echo "ONLY is first, unchanged, one-more or restore" >&2; exit 2 ;; esac
  for d in "$arch" "$out/cv-vault" "$out/kopia-repo" "$out/restic-repo"; do
    [ -d "$d" ] || { echo "ONLY needs a full run first ($d is missing)" >&2; exit 1; }
  done
  for round in $(seq 1 "$ROUNDS"); do
    rotate "$round"
    if [ "$ONLY" = one-more ]; then
      printf '%s, 22:%02d - Alice: one more message, only round %s\n' "31/12/2030" "$round" "$round" > "$out/WhatsApp Chat with Bench.txt"
      "${cvenv[@]}" "$cv" --archive "$arch" --tz UTC import "$out/WhatsApp Chat with Bench.txt" >/dev/null
    fi
    if [ "$ONLY" = restore ]; then
      for t in "${order[@]}"; do "${t}_restore" "$round"; done
    elif [ "$ONLY" = first ]; then
      for t in "${order[@]}"; do "${t}_first" "$round"; done
    else
      for t in "${order[@]}"; do "${t}_again" "$round" "$ONLY"; done
    fi
  done
else
rm -rf "$arch"
"${cvenv[@]}" "$cv" --archive "$arch" --tz UTC import "$src" >/dev/null
echo "archive: $(du -sh "$arch" | cut -f1), $(find "$arch" -type f | wc -l) files"

for round in $(seq 1 "$ROUNDS"); do
  rotate "$round"
  for t in "${order[@]}"; do "${t}_first" "$round"; done
  for t in "${order[@]}"; do "${t}_again" "$round" unchanged; done
  printf '%s, 23:%02d - Alice: one more message, round %s\n' "31/12/2030" "$round" "$round" > "$out/WhatsApp Chat with Bench.txt"
  "${cvenv[@]}" "$cv" --archive "$arch" --tz UTC import "$out/WhatsApp Chat with Bench.txt" >/dev/null
  for t in "${order[@]}"; do "${t}_again" "$round" one-more; done
  for t in "${order[@]}"; do "${t}_restore" "$round"; done
done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians per step and tool, and chatvault's ratio to each peer.
awk -F'\t' 'NR > 1 { k = $2 SUBSEP $3; n[k]++; s[k, n[k]] = $4; r[k, n[k]] = $5; b[k, n[k]] = $6; d[k, n[k]] = $4 + $7 }
function med(a, k, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[k, i] + 0
  for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
  return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
END {
  split("first unchanged one-more restore", steps, " "); split("chatvault kopia restic", tools, " ")
  printf "%-10s %-10s %9s %9s %14s %10s %10s %11s %10s %10s\n", "step", "tool", "median s", "RSS MB", "added bytes", "vs kopia", "vs restic", "durable s", "vs kopia", "vs restic"
  for (i = 1; i <= 4; i++) { for (j = 1; j <= 3; j++) { k = steps[i] SUBSEP tools[j]; c = n[k]; if (!c) continue
      m[j] = med(s, k, c); dm = med(d, k, c)
      line = sprintf("%-10s %-10s %9.2f %9.0f %14.0f", steps[i], tools[j], m[j], med(r, k, c) / 1024, med(b, k, c))
      kk = steps[i] SUBSEP "kopia"; rk = steps[i] SUBSEP "restic"
      if (j == 1) line = line sprintf(" %9.2fx %9.2fx %11.2f %9.2fx %9.2fx", m[j] / med(s, kk, n[kk]), m[j] / med(s, rk, n[rk]), dm, dm / med(d, kk, n[kk]), dm / med(d, rk, n[rk]))
      else line = line sprintf(" %10s %10s %11.2f", "", "", dm)
      print line } } }' "$results" | tee "$out/summary${ONLY:+-$ONLY}.txt"
