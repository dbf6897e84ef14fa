// Package jsonl writes messages as JSON Lines: one JSON object per message, each carrying its
// conversation, for scripts, spreadsheets and other programs. The schema is versioned and
// documented in docs/export-json.md; Schema names it on every line, so a reader can tell lines
// of different versions apart even in a concatenated file.
package jsonl

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// Schema is the value of every line's "schema" field. Fields are only ever added within one
// version; removing or changing one makes a new version.
const Schema = "chatvault.message/1"

// Message is one line.
type Message struct {
	Schema       string               `json:"schema"`
	Conversation Conversation         `json:"conversation"`
	UID          string               `json:"uid"`
	Time         string               `json:"time"` // RFC 3339 with the recorded offset (UTC when unknown)
	TS           int64                `json:"ts"`   // Unix milliseconds
	Offset       *int                 `json:"offset,omitempty"`
	OffsetSource string               `json:"offset_source,omitempty"` // "source" or "assumed"
	Sender       *Person              `json:"sender"`
	FromMe       bool                 `json:"from_me"`
	Kind         archive.Kind         `json:"kind"`
	Text         string               `json:"text"`
	Flags        []string             `json:"flags,omitempty"`
	ReplyTo      string               `json:"reply_to,omitempty"`
	Details      *archive.Details     `json:"details,omitempty"`
	Attachments  []archive.Attachment `json:"attachments,omitempty"`
	Reactions    []Reaction           `json:"reactions,omitempty"`
}

// Conversation identifies the conversation a message belongs to.
type Conversation struct {
	Service string                   `json:"service"`
	Key     string                   `json:"key"`
	Title   string                   `json:"title"`
	Kind    archive.ConversationKind `json:"kind"`
}

// Person is a sender.
type Person struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	IsMe  bool   `json:"is_me,omitempty"`
}

// Reaction is an emoji reaction.
type Reaction struct {
	Sender *Person `json:"sender"`
	Emoji  string  `json:"emoji"`
	Time   string  `json:"time,omitempty"`
}

// Options say what to write.
type Options struct {
	export.Selection
	Progress func(done int64)
}

// Write streams the selected messages, conversation by conversation (most recently active
// first), each oldest first. It returns how many lines it wrote.
func Write(ctx context.Context, a *archive.Archive, w io.Writer, opts Options) (int64, error) {
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		return 0, err
	}
	persons := Persons(people)
	convs, err := opts.Selection.Conversations(ctx, a.View)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // data, not a web page: keep <, > and & readable
	var n int64
	for _, c := range convs {
		conv := ConversationOf(c.Conversation)
		err := a.EachMessage(ctx, opts.Selection.Query(c.ID), func(m *archive.Message) error {
			n++
			if opts.Progress != nil && n%1000 == 0 {
				opts.Progress(n)
			}
			return enc.Encode(Line(m, conv, persons))
		})
		if err != nil {
			return n, err
		}
	}
	if opts.Progress != nil {
		opts.Progress(n)
	}
	return n, bw.Flush()
}

// Persons maps the archive's participants to the senders lines name.
func Persons(people map[int64]archive.Participant) map[int64]*Person {
	persons := make(map[int64]*Person, len(people))
	for id, p := range people {
		persons[id] = &Person{Key: p.Key, Name: p.Name, Phone: p.Phone, IsMe: p.IsMe}
	}
	return persons
}

// ConversationOf is the conversation part of a line.
func ConversationOf(c archive.Conversation) Conversation {
	return Conversation{Service: c.Service, Key: c.Key, Title: c.Title, Kind: c.Kind}
}

// Line is one message in the documented schema (docs/export-json.md): what `export json`
// writes, and what `show --json` and `search --json` print.
func Line(m *archive.Message, conv Conversation, persons map[int64]*Person) Message {
	l := Message{Schema: Schema, Conversation: conv, UID: m.UID, Time: m.Time.Format(time.RFC3339Nano), TS: m.Time.UnixMilli(),
		Sender: persons[m.SenderID], FromMe: m.FromMe, Kind: m.Kind, Text: m.Text, ReplyTo: m.ReplyTo, Details: m.Details,
		Attachments: m.Attachments}
	if m.OffsetKnown {
		off := m.Offset
		l.Offset = &off
		l.OffsetSource = "source"
		if m.OffsetAssumed {
			l.OffsetSource = "assumed"
		}
	}
	l.Flags = m.Flags.Names()
	for _, r := range m.Reactions {
		rl := Reaction{Sender: persons[r.SenderID], Emoji: r.Emoji}
		if !r.Time.IsZero() {
			rl.Time = r.Time.Format(time.RFC3339Nano)
		}
		l.Reactions = append(l.Reactions, rl)
	}
	return l
}
