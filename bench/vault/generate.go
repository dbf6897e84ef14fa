package vaultbench

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// MediaSizes draws file sizes like a phone's chat media: mostly photos of a
// few MB, voice notes of tens to hundreds of KB, and a few videos of tens
// of MB.
func MediaSizes(rng *rand.Rand, total int64) []int64 {
	var sizes []int64

	for sum := int64(0); sum < total; {
		var n int64

		switch r := rng.IntN(100); {
		case r < 70: // photo
			n = 800<<10 + rng.Int64N(4<<20)
		case r < 90: // voice note or sticker
			n = 20<<10 + rng.Int64N(300<<10)
		default: // video
			n = 8<<20 + rng.Int64N(60<<20)
		}

		n = min(n, total-sum)
		sizes = append(sizes, n)
		sum += n
	}

	return sizes
}

// GenerateMedia writes total bytes of incompressible files under dir in the
// dump's layout, media/<aa>/<sha256>, and returns the number of files. The
// same seed gives the same files; an existing complete set is kept.
func GenerateMedia(dir string, total int64, seed uint64) (int, error) {
	// The marker sits beside dir so it is not part of what is backed up.
	marker := fmt.Sprintf("%s.complete-%d-%d", filepath.Clean(dir), total, seed)
	sizes := MediaSizes(rand.New(rand.NewPCG(seed, 1)), total)

	if _, err := os.Stat(marker); err == nil {
		return len(sizes), nil
	}

	if err := os.RemoveAll(dir); err != nil {
		return 0, err
	}

	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return 0, err
	}

	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	src := rand.NewChaCha8(s)
	mtime := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	for i, n := range sizes {
		f, err := os.Create(filepath.Join(tmp, fmt.Sprint(i)))
		if err != nil {
			return 0, err
		}

		h := sha256.New()
		if _, err := io.CopyN(io.MultiWriter(f, h), src, n); err != nil {
			f.Close()
			return 0, err
		}

		if err := f.Close(); err != nil {
			return 0, err
		}

		sum := hex.EncodeToString(h.Sum(nil))
		final := filepath.Join(dir, "media", sum[:2], sum)

		if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
			return 0, err
		}

		if err := os.Rename(f.Name(), final); err != nil {
			return 0, err
		}

		if err := os.Chtimes(final, mtime, mtime); err != nil {
			return 0, err
		}
	}

	if err := os.Remove(tmp); err != nil {
		return 0, err
	}

	return len(sizes), os.WriteFile(marker, nil, 0o644)
}
