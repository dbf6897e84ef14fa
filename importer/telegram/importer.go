// Package telegram imports Telegram Desktop's "Machine-readable JSON" export (result.json of a
// whole account or of one chat, with the media folders beside it). The streaming JSON reading
// lives in tgjson; this package maps its records onto the archive.
package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// Service is the archive's service name for Telegram.
const Service = "telegram"

// Name and Version identify this importer in every message's provenance. Bump Version when the
// mapping from records to messages changes.
const (
	Name    = "telegram-json"
	Version = "1"
)

// htmlMessage is what a user who exported HTML is told.
const htmlMessage = "this is Telegram's HTML export: export again choosing 'Machine-readable JSON' (Telegram Desktop: Settings > Advanced > Export Telegram data, or a chat's menu > Export chat history)"

type tgImporter struct{}

func init() { importer.Register(tgImporter{}) }

func (tgImporter) Name() string    { return Name }
func (tgImporter) Version() string { return Version }
func (tgImporter) Rank() int       { return archive.RankDatabase }
func (tgImporter) Describe() string {
	return `Telegram Desktop export (JSON): result.json of a whole account or one chat, or its folder`
}

// Detect reads the first 4 KiB of result.json. An HTML export folder scores 50 so that the user
// is told to export JSON instead of hearing "unknown format".
func (tgImporter) Detect(src importer.Source) int {
	loc, err := locate(src)
	if err != nil {
		return 0
	}
	if loc.html {
		return 50
	}
	f, err := loc.fsys.Open(loc.file)
	if err != nil {
		return 0
	}
	defer f.Close()
	head := make([]byte, 4<<10)
	n, _ := io.ReadFull(f, head)
	return tgjson.Detect(head[:n])
}

func (tgImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	where := src.String()
	loc, err := locate(src)
	if err != nil {
		return importer.Bad(where, "%v", err)
	}
	if loc.html {
		return importer.Bad(where, "%s", htmlMessage)
	}
	f, err := loc.fsys.Open(loc.file)
	if err != nil {
		return importer.Bad(where, "%v", err)
	}
	defer f.Close()
	var total int64
	if st, err := f.Stat(); err == nil {
		total = st.Size()
	}
	digest := sha256.New()
	counted := &countingReader{r: io.TeeReader(f, digest), total: total, progress: opts.Progress}
	c := newConverter(ctx, im, opts, loc, where)
	if err := c.loadMe(); err != nil {
		return err
	}
	// Each message is converted before the next is read, and nothing keeps the record.
	r := tgjson.NewReader(counted, tgjson.Options{ReuseMessages: true})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var te *tgjson.Error
			if errors.As(err, &te) {
				return importer.Bad(where, "%v", err)
			}
			return importer.Bad(where, "reading: %v", err)
		}
		if err := c.item(it); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
	im.SetSourceDigest(hexSum(digest))
	return c.finish()
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// countingReader reports how much of result.json has been read.
type countingReader struct {
	r        io.Reader
	n, total int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n, c.total)
	}
	return n, err
}

// errf is an error naming the source.
func errf(where, format string, args ...any) error {
	return fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
}
