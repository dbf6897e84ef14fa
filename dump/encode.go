package dump

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"

	"github.com/chatvault/chatvault/archive"
)

// keys map the archive's row ids to the stable keys the dump uses instead.
type keys struct {
	people  map[int64]string // participant id -> key
	imports map[int64]string // import id -> key
}

func (k *keys) messageLine(m *archive.Message) MessageLine {
	l := MessageLine{
		UID:           m.UID,
		TS:            m.Time.UnixMilli(),
		OffsetAssumed: m.OffsetAssumed,
		Sender:        k.people[m.SenderID],
		FromMe:        m.FromMe,
		Kind:          m.Kind,
		Text:          m.Text,
		Flags:         flagsToNames(m.Flags),
		ReplyTo:       m.ReplyTo,
		Details:       m.Details,
		Attachments:   m.Attachments,
		Import:        k.imports[m.ImportID],
		Src:           m.SrcPos,
		Raw:           m.Raw,
	}
	if m.OffsetKnown {
		off := m.Offset
		l.Offset = &off
	}
	for _, r := range m.Reactions {
		l.Reactions = append(l.Reactions, ReactionLine{Sender: k.people[r.SenderID], Emoji: r.Emoji, TS: toMilli(r.Time), Count: r.Count})
	}
	l.Keys = m.Keys
	for _, r := range m.Revisions {
		l.Revisions = append(l.Revisions, RevisionLine{TS: toMilli(r.Time), Text: r.Text})
	}
	for _, v := range m.Votes {
		l.Votes = append(l.Votes, VoteLine{Voter: k.people[v.VoterID], Option: v.Option, TS: toMilli(v.Time)})
	}
	for _, s := range m.Sources {
		l.Sources = append(l.Sources, SourceLine{Import: k.imports[s.ImportID], Src: s.SrcPos, Raw: s.Raw})
	}
	return l
}

// jsonLines writes one compact JSON object per line, without HTML escaping (the dump is data,
// not a web page) so text stays readable with ordinary tools.
type jsonLines struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func newJSONLines(w io.Writer) *jsonLines {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonLines{w: bw, enc: enc}
}

func (j *jsonLines) write(v any) error {
	return j.enc.Encode(v)
}

func (j *jsonLines) flush() error { return j.w.Flush() }

// digestWriter measures what passes through it.
type digestWriter struct {
	h    hash.Hash
	size int64
}

func newDigestWriter() *digestWriter { return &digestWriter{h: sha256.New()} }

func (d *digestWriter) Write(p []byte) (int, error) {
	d.size += int64(len(p))
	return d.h.Write(p)
}

func (d *digestWriter) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// marshalFile renders a small JSON file (manifest, meta) deterministically.
func marshalFile(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // only our own plain structs are marshalled
	}
	return append(b, '\n')
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
