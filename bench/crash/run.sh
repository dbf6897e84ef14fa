#!/usr/bin/env bash
# The crash harness at full count: 100 SIGKILLs during imports with media, 20 during backups to a
# folder vault, each followed by its checks (see README.md). Prints a summary; exits non-zero on
# any failed check. Override the counts and sizes with the CHATVAULT_CRASH_* variables.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CHATVAULT_CRASH=1
export CHATVAULT_CRASH_IMPORTS=${CHATVAULT_CRASH_IMPORTS:-100}
export CHATVAULT_CRASH_BACKUPS=${CHATVAULT_CRASH_BACKUPS:-20}
export CHATVAULT_CRASH_MESSAGES=${CHATVAULT_CRASH_MESSAGES:-1000}
export CHATVAULT_CRASH_MEDIA=${CHATVAULT_CRASH_MEDIA:-100}
exec go test ./bench/crash -run '^TestCrash$' -count=1 -v -timeout 2h
