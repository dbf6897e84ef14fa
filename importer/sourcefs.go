package importer

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Source is a file or folder an importer reads, as a path inside a file system: a folder on this
// machine (os.DirFS), the inside of a phone backup, a test's fstest.MapFS.
type Source struct {
	FS   fs.FS
	Path string // slash-separated, relative to FS; "." is FS's root
	// Name is how the user knows it: a path on this machine, or "iPhone backup <device>:
	// AppDomain-com.tencent.xin/Documents/.../MM.sqlite". Reports and warnings use it.
	Name string
}

// LocalSource is a file or folder on this machine.
func LocalSource(p string) Source {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = p
	}
	return Source{FS: os.DirFS(filepath.Dir(abs)), Path: filepath.Base(abs), Name: p}
}

// String is the source's name for the user.
func (s Source) String() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Path
}

// Stat describes the source.
func (s Source) Stat() (fs.FileInfo, error) { return fs.Stat(s.FS, s.Path) }

// Open opens the source (a file).
func (s Source) Open() (fs.File, error) { return s.FS.Open(s.Path) }

// Sub is the source at name inside this one (a folder source's file).
func (s Source) Sub(name string) Source {
	p := name
	if s.Path != "." && s.Path != "" {
		p = s.Path + "/" + name
	}
	return Source{FS: s.FS, Path: p, Name: filepath.Join(s.String(), filepath.FromSlash(name))}
}

// IsDir reports whether the source is a folder.
func (s Source) IsDir() bool {
	st, err := s.Stat()
	return err == nil && st.IsDir()
}
