package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// MarkerName is the file that marks a folder as a chatvault export. An export only ever replaces
// a folder that has it (or an empty one), so a mistyped --out cannot wipe someone's documents.
const MarkerName = ".chatvault-export.json"

// Marker is the content of MarkerName.
type Marker struct {
	Format    string    `json:"format"` // "html", "txt"
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Archive   string    `json:"archive_id,omitempty"`
}

// ErrNotExport means --out names a non-empty folder that is not a chatvault export.
var ErrNotExport = errors.New("the folder is not empty and is not a chatvault export")

// Dir is an export folder being written. Everything goes into a temporary folder beside the
// destination, which Commit renames into place, so the destination holds either the previous
// export or the new one, never half of one.
type Dir struct {
	final, tmp string
	previous   string // the previous export being replaced, "" when there is none
	marker     Marker
	done       bool
}

// BeginDir checks that out can take an export of format and starts writing one.
func BeginDir(out, format string, version int) (*Dir, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	d := &Dir{final: out, marker: Marker{Format: format, Version: version, CreatedAt: time.Now().UTC().Truncate(time.Second)}}
	entries, err := os.ReadDir(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	case len(entries) == 0:
	default:
		m, err := ReadMarker(out)
		if err != nil {
			return nil, fmt.Errorf("%s: %w (choose a new or empty folder)", out, ErrNotExport)
		}
		if m.Format != format {
			return nil, fmt.Errorf("%s holds a chatvault %s export, not %s: choose another folder", out, m.Format, format)
		}
		d.previous = out
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	d.tmp, err = os.MkdirTemp(parent, "."+filepath.Base(out)+".chatvault-tmp-")
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ReadMarker reads the marker of an export folder.
func ReadMarker(dir string) (Marker, error) {
	var m Marker
	b, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// Path is the folder to write into.
func (d *Dir) Path() string { return d.tmp }

// Final is where the export will be.
func (d *Dir) Final() string { return d.final }

// Previous is the export being replaced, whose files may be reused; "" when there is none.
func (d *Dir) Previous() string { return d.previous }

// SetArchive records the archive the export came from in the marker.
func (d *Dir) SetArchive(id string) { d.marker.Archive = id }

// Commit writes the marker and puts the new export in place of the old one.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("export already finished")
	}
	b, _ := json.MarshalIndent(d.marker, "", "  ")
	if err := os.WriteFile(filepath.Join(d.tmp, MarkerName), append(b, '\n'), 0o644); err != nil {
		d.Abort()
		return err
	}
	var old string
	if _, err := os.Stat(d.final); err == nil {
		old = d.tmp + "-old"
		if err := os.Rename(d.final, old); err != nil {
			d.Abort()
			return err
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
		}
		d.Abort()
		return err
	}
	d.done = true
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes what was written; the destination is left as it was.
func (d *Dir) Abort() {
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.tmp)
}
