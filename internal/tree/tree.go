// Package tree is the read-only file tree a backup stores: produced on the fly (the dump renders
// the archive as one), never staged on disk, consumed by the vault. It is its own package so the
// producer needs nothing of the vault (kopia, cloud SDKs).
package tree

import (
	"context"
	"io"
	"time"
)

// Entry is a Dir or a File of a backup source tree.
type Entry interface {
	Name() string
	ModTime() time.Time
}

// Dir is a read-only directory produced on the fly; the tree is never
// staged on disk. What the vault needs from the producer:
//
//   - Entries calls fn for each child in strictly increasing byte order of
//     Name, each name non-empty, without "/" and not "." or "..". A repeated
//     or out-of-order name fails the backup (it is a producer bug).
//   - Entries is called at most once per Backup or EstimateUpload; build a
//     fresh tree for each call.
//   - When fn returns an error, Entries must stop and return it (possibly
//     wrapped). Entries should return ctx.Err() promptly when ctx is done.
type Dir interface {
	Entry
	Entries(ctx context.Context, fn func(Entry) error) error
}

// File is a read-only file of a backup source tree.
//
// Kopia reuses the stored content of a file without opening it when its
// Name, Size and ModTime equal those of the same path in the source's
// previous snapshot. So, from the producer:
//
//   - ModTime must change whenever the content changes, and should stay
//     exactly the same when it does not: for generated files (a month of
//     messages as JSONL) derive it from the content, e.g. from the newest
//     message's import time, or from a digest of the rows folded into a
//     timestamp. Nanoseconds count. A zero ModTime makes the file always
//     re-read (it is given the backup's start time).
//   - Size is the exact byte count Open will produce, or -1 if unknown.
//     With -1 the file is matched on ModTime alone, so ModTime must then
//     be content-derived. A Size that disagrees with the bytes read fails
//     the backup.
//   - Open may be called more than once (kopia splits files over 2 GiB
//     into parts read in parallel); each call starts at byte 0. If the
//     reader implements io.Seeker it is used, otherwise skipping forward
//     is done by reading.
type File interface {
	Entry
	Size() int64
	Open(ctx context.Context) (io.ReadCloser, error)
}
