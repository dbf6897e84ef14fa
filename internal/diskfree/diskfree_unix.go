//go:build unix

package diskfree

import "golang.org/x/sys/unix"

// Bytes is the space available to this user on path's filesystem; ok is false when the
// system cannot say.
func Bytes(path string) (n int64, ok bool) {
	var st unix.Statfs_t
	if unix.Statfs(path, &st) != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true //nolint:unconvert // field types differ by system
}
