package importer

import (
	"fmt"
	"strings"
)

// SourceError is a problem with the source itself (not a chat, truncated, hostile). The CLI maps
// it to its own exit status so scripts can tell bad input from a broken archive.
type SourceError struct {
	Path string
	Err  error
}

func (e *SourceError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *SourceError) Unwrap() error { return e.Err }

// Bad wraps a problem with a source.
func Bad(path string, format string, args ...any) error {
	return &SourceError{Path: path, Err: fmt.Errorf(format, args...)}
}

// SafeEntryName reports whether a name inside an archive file (zip entry) is a plain relative
// path that stays inside its folder: no absolute paths, no "..", no drive letters, no NUL.
func SafeEntryName(name string) bool {
	if name == "" || strings.ContainsRune(name, 0) || strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) {
		return false
	}
	if len(name) >= 2 && name[1] == ':' {
		return false
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return false
		}
	}
	return true
}
