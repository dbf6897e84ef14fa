#!/usr/bin/env bash
# Side-by-side benchmark of the vault against kopia's own CLI on ~1 GiB of
# generated media files, plus the Go benchmarks. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -x bin/kopia ] || go build -o bin/kopia github.com/kopia/kopia
go build -o bin/vaultbench ./bench/vault/vaultbench

bin/vaultbench compare -kopia bin/kopia -mib "${VAULTBENCH_COMPARE_MIB:-1024}" -reps "${VAULTBENCH_REPS:-3}"
go test ./bench/vault/ -run '^$' -bench . -benchtime "${VAULTBENCH_BENCHTIME:-3x}"
