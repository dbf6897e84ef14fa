package iphone

import (
	"errors"
	"io/fs"
	"sort"
)

// joinFS shows several file systems as one: a name is looked up in each in turn. Messages
// needs it: sms.db is in HomeDomain, the attachments it names in MediaDomain, both under
// Library/SMS.
type joinFS []fs.FS

func (j joinFS) Open(name string) (fs.File, error) {
	var first error
	for _, f := range j {
		file, err := f.Open(name)
		if err == nil {
			return file, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (j joinFS) Stat(name string) (fs.FileInfo, error) {
	var first error
	for _, f := range j {
		st, err := fs.Stat(f, name)
		if err == nil {
			return st, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// ReadDir merges the folders of every file system; the first one's entry wins a name.
func (j joinFS) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, f := range j {
		es, err := fs.ReadDir(f, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		found = true
		for _, e := range es {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name() < out[b].Name() })
	return out, nil
}
