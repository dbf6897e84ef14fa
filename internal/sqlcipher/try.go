package sqlcipher

import (
	"errors"
	"fmt"
	"io"
)

// TryParams returns the first of candidates with which key opens the file (Presets() when
// candidates is empty); a candidate with the same cipher settings as one already tried is
// skipped, PBKDF2 being the slow part. When none does, the error wraps ErrWrongKey if every failure was a
// wrong key, and names every set tried.
func TryParams(r io.ReaderAt, size int64, key []byte, candidates []Params) (Params, error) {
	if len(candidates) == 0 {
		candidates = Presets()
	}
	var errs []error
	var tried []Params
	allWrong := true
outer:
	for _, p := range candidates {
		for _, q := range tried {
			if sameCipher(p, q) {
				continue outer
			}
		}
		tried = append(tried, p)
		_, err := Open(r, size, key, p)
		if err == nil {
			return p, nil
		}
		errs = append(errs, err)
		allWrong = allWrong && errors.Is(err, ErrWrongKey)
	}
	err := errors.Join(errs...)
	if allWrong {
		return Params{}, fmt.Errorf("%w: none of %d parameter sets opens the file:\n%v", ErrWrongKey, len(tried), err)
	}
	return Params{}, fmt.Errorf("sqlcipher: none of %d parameter sets opens the file:\n%w", len(tried), err)
}
