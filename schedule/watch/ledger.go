// Package watch imports chat exports that appear in watched folders (a Downloads folder, a synced
// folder a phone saves exports to). It waits until a file is complete, imports each content once
// whatever its name, and leaves everything else alone, recording why, so `chatvault status` can
// list it.
//
// The Ledger is plain data that the caller persists (the schedule package keeps it in its state
// file); the Watcher holds what it observed between polls, in memory.
package watch

import "time"

// Result is what became of a file in a watched folder.
type Result string

const (
	Imported  Result = "imported"
	Duplicate Result = "already imported" // the same content was imported before, under another name
	NotExport Result = "not a chat export"
	Failed    Result = "failed"
)

// Ledger remembers every file the watcher has decided about.
type Ledger struct {
	// Folders by absolute path.
	Folders map[string]*Folder `json:"folders,omitempty"`
	// Imported maps the SHA-256 of every imported export to where it first came from: the same
	// content under another name, or dropped again later, is not imported twice.
	Imported map[string]Origin `json:"imported,omitempty"`
}

// Origin is where imported content was first seen.
type Origin struct {
	Path string    `json:"path"`
	At   time.Time `json:"at"`
}

// Folder is one watched folder's record.
type Folder struct {
	LastScan   time.Time `json:"last_scan,omitzero"`
	LastImport time.Time `json:"last_import,omitzero"`
	// LastImported is the name of the file imported last.
	LastImported string `json:"last_imported,omitempty"`
	// Error says why the folder could not be read at the last scan (a drive not plugged in).
	Error string `json:"error,omitempty"`
	// Files present in the folder that the watcher decided about, by name.
	Files map[string]*File `json:"files,omitempty"`
}

// File is the decision about one file (or export folder) in a watched folder. Size and ModTime
// are what it looked like when decided: a file that changes afterwards is looked at again.
type File struct {
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	Digest  string    `json:"sha256,omitempty"`
	Result  Result    `json:"result"`
	// Reason explains a result other than Imported in one line.
	Reason string `json:"reason,omitempty"`
	// Format is the importer that read it.
	Format   string    `json:"format,omitempty"`
	Messages int       `json:"messages_added,omitempty"`
	At       time.Time `json:"at"`
}

func (l *Ledger) folder(path string) *Folder {
	if l.Folders == nil {
		l.Folders = map[string]*Folder{}
	}
	f := l.Folders[path]
	if f == nil {
		f = &Folder{}
		l.Folders[path] = f
	}
	if f.Files == nil {
		f.Files = map[string]*File{}
	}
	return f
}

func (l *Ledger) remember(digest string, o Origin) {
	if l.Imported == nil {
		l.Imported = map[string]Origin{}
	}
	l.Imported[digest] = o
}
