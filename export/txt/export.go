package txt

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// Format and Version are recorded in the marker of a folder export.
const (
	Format  = "txt"
	Version = 1
)

// Result says what an export wrote.
type Result struct {
	Path       string `json:"path"`
	Stats      `json:"stats"`
	MediaFiles int   `json:"media_files"`
	MediaBytes int64 `json:"media_bytes"`
}

// ChatFileName is the name WhatsApp gives a chat's text, which importers read the title from.
func ChatFileName(title string) string {
	t := export.FileName(title)
	if len(t) > 100 {
		t = t[:100]
		for len(t) > 0 && t[len(t)-1]&0xC0 == 0x80 {
			t = t[:len(t)-1]
		}
	}
	return "WhatsApp Chat with " + t + ".txt"
}

// ExportConversation writes one conversation to out, whose name says the shape:
//
//	*.zip    a zip like WhatsApp's: the text and the media files
//	*.txt    the text; its media files (unless WithoutMedia) next to it, never over an existing file
//	other    a folder holding the text and the media files (new, empty, or a previous txt export)
func ExportConversation(ctx context.Context, a *archive.Archive, conv archive.Conversation, out string, opts Options) (*Result, error) {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".zip":
		return writeZipFile(ctx, a, conv, out, opts)
	case ".txt":
		return writeTextFile(ctx, a, conv, out, opts)
	}
	dir, err := export.BeginDir(out, Format, Version)
	if err != nil {
		return nil, err
	}
	dir.SetArchive(a.ID())
	res, err := writeFolder(ctx, a, conv, dir.Path(), opts)
	if err != nil {
		dir.Abort()
		return nil, err
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	res.Path = dir.Final()
	return res, nil
}

// ExportAll writes every selected conversation into the folder out, one file each named as
// WhatsApp would ("WhatsApp Chat with Alice.zip", or .txt without media).
func ExportAll(ctx context.Context, a *archive.Archive, out string, opts Options) ([]*Result, error) {
	convs, err := opts.Selection.Conversations(ctx, a.View)
	if err != nil {
		return nil, err
	}
	dir, err := export.BeginDir(out, Format, Version)
	if err != nil {
		return nil, err
	}
	dir.SetArchive(a.ID())
	var results []*Result
	used := map[string]bool{}
	for _, c := range convs {
		n, err := opts.Selection.Count(ctx, a, c.ID)
		if err != nil {
			dir.Abort()
			return nil, err
		}
		if n == 0 {
			continue
		}
		name := uniqueName(ChatFileName(c.Title), used)
		if !opts.WithoutMedia {
			name = strings.TrimSuffix(name, ".txt") + ".zip"
		}
		var res *Result
		if opts.WithoutMedia {
			res, err = writeTextFile(ctx, a, c.Conversation, filepath.Join(dir.Path(), name), opts)
		} else {
			res, err = writeZipFile(ctx, a, c.Conversation, filepath.Join(dir.Path(), name), opts)
		}
		if err != nil {
			dir.Abort()
			return nil, fmt.Errorf("conversation %q: %w", c.Title, err)
		}
		res.Path = filepath.Join(dir.Final(), name)
		results = append(results, res)
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	return results, nil
}

func uniqueName(name string, used map[string]bool) string {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		cand := name
		if i > 1 {
			cand = fmt.Sprintf("%s %d%s", stem, i, ext)
		}
		if !used[strings.ToLower(cand)] {
			used[strings.ToLower(cand)] = true
			return cand
		}
	}
}

func writeFolder(ctx context.Context, a *archive.Archive, conv archive.Conversation, dir string, opts Options) (*Result, error) {
	name := ChatFileName(conv.Title)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	res, err := writeWithFolderMedia(ctx, a, conv, f, dir, opts, name, export.MarkerName)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	res.Path = dir
	return res, nil
}

// writeWithFolderMedia writes the chat text to w and, unless WithoutMedia, its media files into
// dir under names no existing file (nor reserved) has.
func writeWithFolderMedia(ctx context.Context, a *archive.Archive, conv archive.Conversation, w io.Writer, dir string, opts Options, reserved ...string) (*Result, error) {
	var media *folderMedia
	var sink Media
	if !opts.WithoutMedia {
		media = newFolderMedia(a, dir, reserved...)
		sink = media
	}
	st, err := Write(ctx, a, conv, w, sink, opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Stats: *st}
	if media != nil {
		res.MediaFiles, res.MediaBytes = media.files, media.bytes
	}
	return res, nil
}

// writeTextFile writes the text under a temporary name and renames it into place; media files
// go next to it under names that no existing file has.
func writeTextFile(ctx context.Context, a *archive.Archive, conv archive.Conversation, out string, opts Options) (*Result, error) {
	return writeReplacing(out, func(w io.Writer) (*Result, error) {
		return writeWithFolderMedia(ctx, a, conv, w, filepath.Dir(out), opts, filepath.Base(out))
	})
}

// writeZipFile writes a zip like WhatsApp's: the chat text first, then the media it names
// (stored, not compressed again).
func writeZipFile(ctx context.Context, a *archive.Archive, conv archive.Conversation, out string, opts Options) (*Result, error) {
	return writeReplacing(out, func(w io.Writer) (*Result, error) {
		return fillZip(ctx, a, conv, w, opts)
	})
}

// writeReplacing writes out through a temporary file in its folder and renames it into place,
// so a failed export never leaves half a file under the name.
func writeReplacing(out string, fill func(w io.Writer) (*Result, error)) (*Result, error) {
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	res, err := fill(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return nil, err
	}
	res.Path = out
	return res, nil
}

func fillZip(ctx context.Context, a *archive.Archive, conv archive.Conversation, w io.Writer, opts Options) (*Result, error) {
	zw := zip.NewWriter(w)
	modified := time.Now()
	name := ChatFileName(conv.Title)
	tw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return nil, err
	}
	media := newZipMedia(name)
	var sink Media = media
	if opts.WithoutMedia {
		sink = nil
	}
	st, err := Write(ctx, a, conv, tw, sink, opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Stats: *st}
	for _, f := range media.files {
		src, err := a.OpenMedia(f.sha)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		mw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store, Modified: modified})
		if err == nil {
			var n int64
			n, err = io.Copy(mw, src)
			res.MediaFiles++
			res.MediaBytes += n
		}
		src.Close()
		if err != nil {
			return nil, fmt.Errorf("add %s: %w", f.name, err)
		}
	}
	return res, zw.Close()
}
