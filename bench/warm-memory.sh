#!/usr/bin/env bash
# Touches WARM_MB (default 4096) MiB of memory and gives it back, so that the next measured step
# finds memory the machine has used recently.
#
# Why: on the virtual machines these benchmarks run on, the first write to memory the guest has
# not used for a while costs a fault in the host: writing 512 MiB into new files took 0.22-0.27 s
# of system time with recently freed memory and 3.8-7.0 s without (2026-12-03). A tool that ran
# right after another one freed memory looked several times faster than one that did not, in the
# same run. On a physical machine free memory costs nothing to touch, so the benchmarks warm it
# before every step they time; WARM=0 turns this off to see the raw effect.
#
#   source bench/warm-memory.sh; warm_memory
warm_memory() {
  [ "${WARM:-1}" = 0 ] && return 0
  local dir=/dev/shm
  [ -d "$dir" ] && [ -w "$dir" ] || return 0
  local f
  f=$(mktemp "$dir/chatvault-warm.XXXXXX")
  # tmpfs pages are the machine's memory; removing the file frees them at once.
  dd if=/dev/zero of="$f" bs=1M count="${WARM_MB:-4096}" status=none 2>/dev/null || true
  rm -f "$f"
}
