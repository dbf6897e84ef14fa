package vaultbench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/chatvault/chatvault/vault"
)

// benchMiB is the size of the media set the Go benchmarks use; the
// side-by-side comparison with kopia's CLI (vaultbench compare) uses 1 GiB.
func benchMiB() int64 {
	if v, err := strconv.ParseInt(os.Getenv("VAULTBENCH_MIB"), 10, 64); err == nil && v > 0 {
		return v
	}

	return 256
}

var media = struct {
	once sync.Once
	dir  string
	err  error
}{}

// mediaDir generates the media set once per run, in the system temp folder
// (kept between runs: generating it is not what is measured).
func mediaDir(b *testing.B) string {
	b.Helper()

	media.once.Do(func() {
		media.dir = filepath.Join(os.TempDir(), "chatvault-bench-media-"+strconv.FormatInt(benchMiB(), 10))
		_, media.err = GenerateMedia(media.dir, benchMiB()<<20, 1)
	})

	if media.err != nil {
		b.Fatal(media.err)
	}

	return media.dir
}

func newVault(b *testing.B) *vault.Vault {
	b.Helper()

	ctx := context.Background()
	dir := b.TempDir()

	dest, err := vault.ParseDestination(filepath.Join(dir, "vault"), nil)
	if err != nil {
		b.Fatal(err)
	}

	opts := vault.OpenOptions{CacheDir: filepath.Join(dir, "cache"), Hostname: "bench", Username: "bench"}

	if _, err := vault.Init(ctx, dest, "bench", vault.InitOptions{OpenOptions: opts}); err != nil {
		b.Fatal(err)
	}

	v, err := vault.Open(ctx, dest, vault.Password("bench"), opts)
	if err != nil {
		b.Fatal(err)
	}

	b.Cleanup(func() { v.Close(ctx) })

	return v
}

// BenchmarkBackupMedia measures a first backup of incompressible media
// files into a fresh local vault (bytes/s is the logical backup rate).
func BenchmarkBackupMedia(b *testing.B) {
	dir := mediaDir(b)
	b.SetBytes(benchMiB() << 20)

	for b.Loop() {
		b.StopTimer()
		v := newVault(b)
		root, err := LocalTree(dir)

		if err != nil {
			b.Fatal(err)
		}

		b.StartTimer()

		if _, err := v.Backup(context.Background(), root, vault.BackupOptions{Uncompressed: []string{"media"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackupUnchanged measures a second backup of the same files:
// nothing is read, only the tree is walked and compared.
func BenchmarkBackupUnchanged(b *testing.B) {
	dir := mediaDir(b)
	v := newVault(b)
	ctx := context.Background()

	root, _ := LocalTree(dir)
	if _, err := v.Backup(ctx, root, vault.BackupOptions{Uncompressed: []string{"media"}}); err != nil {
		b.Fatal(err)
	}

	for b.Loop() {
		root, _ := LocalTree(dir)
		if _, err := v.Backup(ctx, root, vault.BackupOptions{Uncompressed: []string{"media"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAll streams every file of a snapshot out of the vault.
func BenchmarkReadAll(b *testing.B) {
	dir := mediaDir(b)
	v := newVault(b)
	ctx := context.Background()

	root, _ := LocalTree(dir)

	info, err := v.Backup(ctx, root, vault.BackupOptions{Uncompressed: []string{"media"}})
	if err != nil {
		b.Fatal(err)
	}

	b.SetBytes(info.TotalBytes)

	buf := make([]byte, 1<<20)

	for b.Loop() {
		r, err := v.OpenSnapshot(ctx, info.ID)
		if err != nil {
			b.Fatal(err)
		}

		err = r.Walk(ctx, "", func(e vault.EntryInfo) error {
			if e.IsDir {
				return nil
			}

			f, _, err := r.Open(ctx, e.Path)
			if err != nil {
				return err
			}
			defer f.Close()

			_, err = io.CopyBuffer(io.Discard, f, buf)

			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
