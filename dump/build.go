package dump

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/tree"
)

// Options select what a dump holds; the zero value is the whole archive.
type Options struct {
	ConversationIDs []int64 // nil = every conversation
	NoVideos        bool    // leave video files out (their messages stay, marked as such on restore)
	MaxMediaSize    int64   // leave out media files larger than this (0 = no limit)
	// Progress, when set, is told how many changed months have been measured so far.
	Progress func(done, total int)
	// ManifestOnly is for a dump built only for its manifest: its months will not be read, so
	// measuring keeps nothing of them (no spool).
	ManifestOnly bool
}

// Dump is the archive rendered for one backup. It reads from one consistent snapshot of the
// archive; Close ends it.
type Dump struct {
	a        *archive.Archive
	snap     *archive.Snapshot
	keys     *keys
	root     *dirNode
	Manifest Manifest
	measured []archive.DumpMonth
	// Bytes is the total size of every file in the dump, for estimates.
	Bytes int64
	// ChangedMonths and ChangedBytes count the month files that changed since they were last
	// measured (by the previous backup, normally).
	ChangedMonths int
	ChangedBytes  int64
	// metas are the conversations' meta.json by path, for ChangedSince.
	metas map[string]*ConversationMeta
	// readers is how many snapshots the stale months were measured on (measureAll).
	readers int
	// spool keeps the months measuring rendered, for the upload to read back (nil: none).
	spool *spool
}

// Build prepares the dump: it opens a snapshot of the archive, measures the months that changed
// since they were last measured, and lays out the tree. Nothing is written anywhere.
func Build(ctx context.Context, a *archive.Archive, opts Options) (*Dump, error) {
	snap, err := a.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	d := &Dump{a: a, snap: snap, root: &dirNode{name: "."}}
	if err := d.build(ctx, opts); err != nil {
		d.closeSpool()
		snap.Close()
		return nil, err
	}
	return d, nil
}

// Root is the tree to back up.
func (d *Dump) Root() tree.Dir { return d.root }

// Close ends the snapshot and remembers the months measured, so the next backup need not.
func (d *Dump) Close(ctx context.Context) error {
	d.closeSpool()
	err := d.snap.Close()
	if e := d.a.SaveDumpDigests(ctx, d.measured); e != nil && err == nil && e != archive.ErrBusy {
		err = e
	}
	return err
}

func (d *Dump) closeSpool() {
	if d.spool != nil {
		d.spool.close()
		d.spool = nil
	}
}

func (d *Dump) build(ctx context.Context, opts Options) error {
	v := d.snap.View
	people, err := v.ParticipantMap(ctx)
	if err != nil {
		return err
	}
	imports, err := v.Imports(ctx)
	if err != nil {
		return err
	}
	d.keys = &keys{people: map[int64]string{}, imports: map[int64]string{}}
	for id, p := range people {
		d.keys.people[id] = p.Key
	}
	for _, im := range imports {
		d.keys.imports[im.ID] = im.Key
	}
	convs, err := d.selectConversations(ctx, opts.ConversationIDs)
	if err != nil {
		return err
	}
	m := &d.Manifest
	m.Format, m.Version, m.ArchiveID = Format, Version, d.a.ID()
	m.Conversations = []ConversationEntry{}
	if opts.ConversationIDs != nil || opts.NoVideos || opts.MaxMediaSize > 0 {
		m.Selection = &Selection{NoVideos: opts.NoVideos, MaxMediaSize: opts.MaxMediaSize}
	}

	// The media first: their size bounds the spool measuring may write (spool.go).
	if err := d.addMedia(ctx, opts, convs); err != nil {
		return err
	}

	// Measure the months whose digest is stale, then lay out each conversation.
	months := map[int64][]archive.DumpMonth{}
	var stale []archive.DumpMonth
	for _, c := range convs {
		ms, err := v.DumpMonths(ctx, c.ID)
		if err != nil {
			return err
		}
		months[c.ID] = ms
		for _, mm := range ms {
			if !mm.Current() {
				stale = append(stale, mm)
			}
		}
	}
	measured := map[monthID]archive.DumpMonth{}
	got, err := d.measureAll(ctx, stale, opts.Progress, !opts.ManifestOnly)
	if err != nil {
		return err
	}
	for _, g := range got {
		d.measured = append(d.measured, g)
		d.ChangedMonths++
		d.ChangedBytes += g.Size
		measured[monthID{g.ConversationID, g.Month}] = g
	}
	convRoot := d.root.child("conversations")
	for _, c := range convs {
		members, err := v.ConversationMembers(ctx, c.ID)
		if err != nil {
			return err
		}
		meta := ConversationMeta{Service: c.Service, Key: c.Key, Title: c.Title, Kind: c.Kind, Members: []string{}, Months: []MonthEntry{}}
		for _, id := range members {
			meta.Members = append(meta.Members, people[id].Key)
		}
		sort.Strings(meta.Members)
		dir := conversationDir(c.Service, c.Key)
		cdir := convRoot.child(path.Base(path.Dir(dir))).child(path.Base(dir))
		total := 0
		for _, mm := range months[c.ID] {
			if got, ok := measured[monthID{mm.ConversationID, mm.Month}]; ok {
				mm = got
			}
			if mm.Messages == 0 {
				continue
			}
			total += mm.Messages
			meta.Months = append(meta.Months, MonthEntry{Month: mm.Month, Path: monthPath(mm.Month), Messages: mm.Messages, SHA256: mm.Digest, Size: mm.Size})
			cdir.child(mm.Month[:4]).children = append(cdir.child(mm.Month[:4]).children, d.monthFile(mm))
			d.Bytes += mm.Size
		}
		data := marshalFile(meta)
		if d.metas == nil {
			d.metas = map[string]*ConversationMeta{}
		}
		d.metas[dir+"/meta.json"] = &meta
		cdir.children = append(cdir.children, bytesFile("meta.json", data))
		d.Bytes += int64(len(data))
		m.Conversations = append(m.Conversations, ConversationEntry{Service: c.Service, Key: c.Key, Title: c.Title, Messages: total,
			Meta: FileDigest{Path: dir + "/meta.json", SHA256: digestOf(data), Size: int64(len(data))}})
		m.Counts.Conversations++
		m.Counts.Messages += total
		if m.Selection != nil {
			m.Selection.Conversations = append(m.Selection.Conversations, c.Service+"/"+c.Key)
		}
	}
	sort.Slice(m.Conversations, func(i, j int) bool {
		a, b := m.Conversations[i], m.Conversations[j]
		return a.Service < b.Service || a.Service == b.Service && a.Key < b.Key
	})
	if m.Selection != nil {
		sort.Strings(m.Selection.Conversations)
	}
	if err := d.addContacts(people); err != nil {
		return err
	}
	if err := d.addImports(imports); err != nil {
		return err
	}
	if m.Counts.Attachments, err = d.countAttachments(ctx, opts, convs); err != nil {
		return err
	}
	data := marshalFile(m)
	d.root.children = append(d.root.children, bytesFile("manifest.json", data))
	d.Bytes += int64(len(data))
	return nil
}

func (d *Dump) selectConversations(ctx context.Context, ids []int64) ([]archive.Conversation, error) {
	if ids == nil {
		// Without counts: each conversation's total comes from its months' measured counts.
		return d.snap.ConversationList(ctx)
	}
	var out []archive.Conversation
	for _, id := range ids {
		c, err := d.snap.ConversationByID(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("conversation %d: %w", id, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// monthFile streams a month from the snapshot. Its modification time is the month's change
// stamp, which moves exactly when its messages change.
func (d *Dump) monthFile(mm archive.DumpMonth) *fileNode {
	return &fileNode{name: mm.Month + ".jsonl", mtime: time.UnixMilli(mm.ChangedAt).UTC(), size: mm.Size,
		open: func(ctx context.Context) (io.ReadCloser, error) {
			if d.spool != nil {
				if r := d.spool.open(mm); r != nil {
					return r, nil
				}
			}
			return streamFile(ctx, func(ctx context.Context, w io.Writer) error {
				_, err := writeMonth(ctx, d.snap.View, d.keys, mm.ConversationID, mm.Month, w)
				return err
			}), nil
		}}
}

func (d *Dump) addContacts(people map[int64]archive.Participant) error {
	byService := map[string][]ContactLine{}
	for _, p := range people {
		byService[p.Service] = append(byService[p.Service], ContactLine{Key: p.Key, Name: p.Name, Phone: p.Phone, IsMe: p.IsMe})
	}
	services := make([]string, 0, len(byService))
	for s := range byService {
		services = append(services, s)
	}
	sort.Strings(services)
	dir := d.root.child("contacts")
	d.Manifest.Contacts = []FileDigest{}
	for _, s := range services {
		lines := byService[s]
		sort.Slice(lines, func(i, j int) bool { return lines[i].Key < lines[j].Key })
		var b strings.Builder
		jl := newJSONLines(&b)
		for _, l := range lines {
			if err := jl.write(l); err != nil {
				return err
			}
		}
		if err := jl.flush(); err != nil {
			return err
		}
		data := []byte(b.String())
		name := safeName(s, 24) + ".jsonl"
		dir.children = append(dir.children, bytesFile(name, data))
		d.Manifest.Contacts = append(d.Manifest.Contacts, FileDigest{Path: "contacts/" + name, SHA256: digestOf(data), Size: int64(len(data)), Lines: len(lines)})
		d.Manifest.Counts.Participants += len(lines)
		d.Bytes += int64(len(data))
	}
	return nil
}

func (d *Dump) addImports(imports []archive.ImportRecord) error {
	var b strings.Builder
	jl := newJSONLines(&b)
	for _, im := range imports {
		if err := jl.write(im); err != nil {
			return err
		}
	}
	if err := jl.flush(); err != nil {
		return err
	}
	data := []byte(b.String())
	d.root.children = append(d.root.children, bytesFile("imports.jsonl", data))
	d.Manifest.Imports = FileDigest{Path: "imports.jsonl", SHA256: digestOf(data), Size: int64(len(data)), Lines: len(imports)}
	d.Bytes += int64(len(data))
	return nil
}

func (d *Dump) mediaFilter(opts Options, convs []archive.Conversation) archive.MediaFilter {
	f := archive.MediaFilter{NoVideos: opts.NoVideos, MaxSize: opts.MaxMediaSize}
	if opts.ConversationIDs != nil {
		f.ConversationIDs = []int64{}
		for _, c := range convs {
			f.ConversationIDs = append(f.ConversationIDs, c.ID)
		}
	}
	return f
}

// addMedia counts the selected media now and lists each fan-out folder when the vault reaches it.
func (d *Dump) addMedia(ctx context.Context, opts Options, convs []archive.Conversation) error {
	filter := d.mediaFilter(opts, convs)
	var totals map[string]archive.MediaTotal
	if filter.ConversationIDs == nil && !filter.NoVideos && filter.MaxSize == 0 {
		var err error
		if totals, err = d.snap.MediaTotals(ctx); err != nil {
			return err
		}
	}
	var prefixes []string
	for i := 0; i < 256; i++ {
		p := fmt.Sprintf("%02x", i)
		t, err := d.countMedia(ctx, p, filter, totals)
		if err != nil {
			return err
		}
		d.Manifest.Counts.MediaFiles += t.Files
		d.Manifest.Counts.MediaBytes += t.Bytes
		d.Bytes += t.Bytes
		if t.Files > 0 {
			prefixes = append(prefixes, p)
		}
	}
	media := d.root.child("media")
	media.fill = func(ctx context.Context, fn func(tree.Entry) error) error {
		for _, p := range prefixes {
			var files []tree.Entry
			err := d.snap.EachMedia(ctx, p, filter, func(mf archive.MediaFile) error {
				files = append(files, d.mediaFile(mf))
				return nil
			})
			if err != nil {
				return err
			}
			if err := fn(&dirNode{name: p, children: files}); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}

// countMedia counts one fan-out folder: from the archive's totals when the whole archive's media
// are selected, else file by file through the filter.
func (d *Dump) countMedia(ctx context.Context, prefix string, filter archive.MediaFilter, totals map[string]archive.MediaTotal) (archive.MediaTotal, error) {
	if totals != nil {
		return totals[prefix], nil
	}
	var t archive.MediaTotal
	err := d.snap.EachMedia(ctx, prefix, filter, func(mf archive.MediaFile) error {
		t.Files++
		t.Bytes += mf.Size
		return nil
	})
	return t, err
}

func (d *Dump) mediaFile(mf archive.MediaFile) *fileNode {
	sha := mf.SHA256
	return &fileNode{name: sha, mtime: fixedTime, size: mf.Size, open: func(context.Context) (io.ReadCloser, error) {
		f, err := d.a.OpenMedia(sha)
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("media file %s is missing from the archive's media folder: %w", sha, err)
		}
		return f, err
	}}
}

func (d *Dump) countAttachments(ctx context.Context, opts Options, convs []archive.Conversation) (int, error) {
	if opts.ConversationIDs == nil {
		return d.snap.CountAttachments(ctx, nil)
	}
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return d.snap.CountAttachments(ctx, ids)
}

// Archive is the archive the dump renders.
func (d *Dump) Archive() *archive.Archive { return d.a }
