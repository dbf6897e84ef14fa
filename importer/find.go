package importer

import (
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Found is a source Find found, with the importer that reads it.
type Found struct {
	Source   Source
	Importer Importer
}

// Skipped is a file Find left out, with why. Nothing in a folder is left out silently.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	// Unchanged marks a container's part left out because its files are as they were at its
	// last import (Part.Digest): nothing is missing, so it is not an error.
	Unchanged bool `json:"-"`
}

// maxFindDepth bounds how deep Find looks below the folder it is given.
const maxFindDepth = 6

// Find walks a folder for importable sources: a sub-folder an importer claims as a whole (an
// unpacked export, a phone backup) is one source and is not walked further; every other file is a
// source when an importer claims it and is listed as skipped, with the reason, when none does.
// Links are not followed; hidden folders (.git, .Trash) are skipped and listed. Each file is
// looked at once, so the cost is linear in the number of files. import, watch and the daemon all
// use it.
func Find(ctx context.Context, root Source) ([]Found, []Skipped, error) {
	var found []Found
	var skipped []Skipped
	var walk func(dir Source, depth int) error
	walk = func(dir Source, depth int) error {
		entries, err := fs.ReadDir(dir.FS, dir.Path)
		if err != nil {
			skipped = append(skipped, Skipped{Path: dir.String(), Reason: "cannot read folder: " + err.Error()})
			return nil
		}
		var loose []Skipped // media-like files: an export's when one lies beside them
		exportHere := false
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return err
			}
			sub := dir.Sub(e.Name())
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				skipped = append(skipped, Skipped{Path: sub.String(), Reason: "a link: not followed"})
			case e.IsDir():
				if strings.HasPrefix(e.Name(), ".") {
					continue // .git, .Trash: not the user's exports
				}
				if imp, err := Detect(sub); err == nil {
					found = append(found, Found{sub, imp})
					continue
				}
				if depth >= maxFindDepth {
					skipped = append(skipped, Skipped{Path: sub.String(), Reason: "folder too deep: import it on its own"})
					continue
				}
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			case e.Type().IsRegular():
				if ignorable(e.Name()) {
					continue
				}
				if imp, err := Detect(sub); err == nil {
					found = append(found, Found{sub, imp})
					exportHere = true
				} else if claimedAsMedia(e.Name()) {
					loose = append(loose, Skipped{Path: sub.String(), Reason: "a photo, video or document with no chat export beside it"})
				} else {
					skipped = append(skipped, Skipped{Path: sub.String(), Reason: "not a chat export chatvault can read"})
				}
			default:
				skipped = append(skipped, Skipped{Path: sub.String(), Reason: "not a regular file"})
			}
		}
		if !exportHere {
			skipped = append(skipped, loose...)
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, nil, err
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Source.Path < found[j].Source.Path })
	return found, skipped, nil
}

// ignorable files are system litter nobody would call a skipped export.
func ignorable(name string) bool {
	switch strings.ToLower(name) {
	case ".ds_store", "thumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(name, "._")
}

// claimedAsMedia: photos, videos, voice notes and documents beside exports are those exports'
// media (read with them), not sources of their own; listing each as skipped would bury the
// files that matter. With no export beside them they are listed.
func claimedAsMedia(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".3gp", ".opus", ".ogg", ".m4a", ".mp3",
		".aac", ".amr", ".wav", ".pdf", ".vcf", ".webm", ".silk", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx":
		return true
	}
	return false
}
