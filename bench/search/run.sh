#!/usr/bin/env bash
# Search benchmark: p50/p95 server time of chatvault's search (archive.Search, in process) and of
# plain SQLite FTS5 over the same messages (a contentless FTS5 table joined to a messages table,
# newest 20 by time), alternating, for a common word (~30% of messages), a rare word, a common
# word in one chat, a CJK substring and a common word within one month.
#
#   bench/search/run.sh [N] [RUNS] [ONLY]   (N default 10,000,000; 1000000 for a quick run;
#                                            ONLY: just the queries whose name holds it, e.g. rare)
#
# The archive and the peer are generated once into $CHATVAULT_BENCH_DIR (default
# /tmp/chatvault-bench-search)/N and reused; generating 10M messages takes a while.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-10000000}"
runs="${2:-50}"
dir="${CHATVAULT_BENCH_DIR:-/tmp/chatvault-bench-search}"
mkdir -p "$dir"
go build -o "$dir/searchbench" ./bench/search/searchbench
echo "$(nproc) cores, $(uname -m)"
"$dir/searchbench" -n "$n" -dir "$dir" -runs "$runs" -only "${3:-}"
