#!/usr/bin/env bash
# WeChat iPhone import benchmark: a generated app folder of N messages (default 1,000,000)
# imported into a fresh archive, messages/s, CPU time and peak RSS, next to bench/sqlite's single-writer
# floor measured in the same run. Results in bench/out/wechat (git-ignored).
#
#   bash bench/wechat/run.sh              # N=1000000
#   WECHAT_BENCH_N=100000 bash bench/wechat/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/warm-memory.sh # warm_memory before every timed step: see there
out=${OUT:-bench/out/wechat}
mkdir -p "$out"
go test -c -o "$out/wechat.test" ./bench/wechat
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
uptime
warm_memory
FLOOR_N="${WECHAT_BENCH_N:-1000000}" go test ./bench/sqlite -run XXX -bench 'Floor/archive-schema' -benchtime 1x | tee "$out/floor.txt"
uptime
warm_memory
/usr/bin/time -v "$out/wechat.test" -test.run XXX -test.bench ImportIOS -test.benchtime 1x -test.v \
  > "$out/import.txt" 2> "$out/time.txt"
cat "$out/import.txt"
uptime
# The process's peak includes the generator's; the benchmark logs the import's own.
grep -E 'Maximum resident set size|Elapsed' "$out/time.txt"
