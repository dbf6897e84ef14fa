#!/usr/bin/env bash
# Measures the WhatsApp export parser (importer/whatsapp/wachat):
#  1. generates a 1,000,000-message export (Android shape, 5% media);
#  2. runs the Go benchmarks on it: messages/s and allocations of Parse
#     (BenchmarkParse; BenchmarkParseIOS generates its own iOS-shaped file),
#     and of Scan;
#  3. parses the file with watool under /usr/bin/time -v for the peak RSS of
#     a whole import pass (Scan + Parse), and does the same for a file
#     BIG_N messages long (default 5,000,000) to show that memory does not
#     grow with the file.
# Usage: bench/whatsapp/run-parse.sh   (BENCHTIME=10x, BIG_N=5000000 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
benchtime=${BENCHTIME:-10x}
big=${BIG_N:-5000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

go build -o "$dir/watool" ./bench/whatsapp/watool
echo "== generating 1,000,000 messages"
"$dir/watool" gen -n 1000000 -media 0.05 -o "$dir/chat-1m.txt"
ls -l "$dir/chat-1m.txt" | awk '{print $5 " bytes"}'

echo "== go test -bench (GOMAXPROCS=$(nproc))"
WACHAT_BENCH_FILE="$dir/chat-1m.txt" go test -run '^$' -bench 'Parse|Scan' -benchtime "$benchtime" -benchmem ./importer/whatsapp/wachat

rss() {
	/usr/bin/time -v "$dir/watool" parse "$1" 2>"$dir/time.txt"
	grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$dir/time.txt"
}
echo "== peak RSS, 1,000,000 messages (Scan + Parse)"
rss "$dir/chat-1m.txt"

echo "== peak RSS, $big messages (Scan + Parse)"
"$dir/watool" gen -n "$big" -media 0.05 -o "$dir/chat-big.txt"
ls -l "$dir/chat-big.txt" | awk '{print $5 " bytes"}'
rss "$dir/chat-big.txt"
