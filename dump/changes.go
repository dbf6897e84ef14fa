package dump

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Changes is what a dump's month files hold that an earlier dump's do not: the months that are
// new or whose digest differs. Media are not counted (they are stored by content anyway).
type Changes struct {
	Months int
	Bytes  int64
}

// ChangedSince compares the dump's month files with an earlier dump's (a previous snapshot), by
// digest. It reads the earlier manifest and the meta.json of each conversation whose meta
// differs, so an unchanged archive costs one read. The archive's own record of what it measured
// cannot say this: a restored archive has measured nothing, yet the vault holds every month.
func (d *Dump) ChangedSince(ctx context.Context, prev Source) (Changes, error) {
	pm, err := ReadManifest(ctx, prev)
	if err != nil {
		return Changes{}, err
	}
	prevMeta := map[string]string{}
	for _, c := range pm.Conversations {
		prevMeta[c.Meta.Path] = c.Meta.SHA256
	}
	var ch Changes
	for _, c := range d.Manifest.Conversations {
		sum, ok := prevMeta[c.Meta.Path]
		if ok && sum == c.Meta.SHA256 {
			continue
		}
		meta := d.metas[c.Meta.Path]
		if meta == nil {
			return Changes{}, fmt.Errorf("%s: not in this dump", c.Meta.Path)
		}
		before := map[string]string{}
		if ok {
			if before, err = monthDigests(ctx, prev, c.Meta.Path); err != nil {
				return Changes{}, err
			}
		}
		for _, m := range meta.Months {
			if before[m.Month] != m.SHA256 {
				ch.Months++
				ch.Bytes += m.Size
			}
		}
	}
	return ch, nil
}

// monthDigests reads a meta.json of an earlier dump: its months' digests by month.
func monthDigests(ctx context.Context, src Source, path string) (map[string]string, error) {
	meta, err := ReadConversationMeta(ctx, src, path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(meta.Months))
	for _, m := range meta.Months {
		out[m.Month] = m.SHA256
	}
	return out, nil
}

// ReadConversationMeta reads a conversation's meta.json from a dump.
func ReadConversationMeta(ctx context.Context, src Source, path string) (*ConversationMeta, error) {
	r, err := src.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var meta ConversationMeta
	if err := json.NewDecoder(io.LimitReader(r, 256<<20)).Decode(&meta); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &meta, nil
}
