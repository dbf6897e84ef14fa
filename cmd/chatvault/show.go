package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/jsonl"
)

type showOptions struct {
	period periodOptions
	limit  int
	all    bool
	json   bool
}

func newShowCommand(g *globals) *cobra.Command {
	o := &showOptions{}
	c := &cobra.Command{
		Use:   "show CONVERSATION",
		Short: "Print a conversation's messages",
		Long: `Print the messages of one conversation, oldest first.

CONVERSATION is its title (or part of it, when that is unambiguous) or its ID from
` + "`chatvault chats`" + `. Without --since, the most recent --limit messages are shown, as a chat app opens
at the bottom; with --since, the first --limit messages from that date.

Examples:
  chatvault show "Alice" --since 2023-01-01 --limit 50
  chatvault show 3 --all --json > family.json` + exitStatusHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(cmd.Context(), g, o, args[0])
		},
	}
	f := c.Flags()
	o.period.addFlags(f)
	f.IntVar(&o.limit, "limit", 50, "how many messages to show")
	f.BoolVar(&o.all, "all", false, "show every message (no --limit)")
	f.BoolVar(&o.json, "json", false, "print JSON, one message per line")
	return c
}

// pickConversation resolves a name to exactly one conversation, or says which ones it could mean.
func pickConversation(ctx context.Context, a *archive.Archive, name string) (archive.Conversation, error) {
	convs, err := a.FindConversations(ctx, name)
	if err != nil {
		return archive.Conversation{}, err
	}
	if len(convs) > 1 {
		var names []string
		for _, c := range convs {
			names = append(names, fmt.Sprintf("%d %q (%s)", c.ID, c.Title, c.Service))
		}
		return archive.Conversation{}, usagef(fmt.Sprintf("%q matches %d conversations: %s; use the exact title or the ID",
			name, len(convs), strings.Join(names, ", ")))
	}
	return convs[0], nil
}

func runShow(ctx context.Context, g *globals, o *showOptions, name string) error {
	loc, err := g.location()
	if err != nil {
		return err
	}
	q := archive.MessageQuery{WithParts: true, Limit: o.limit}
	if o.all {
		q.Limit = 0
	}
	if q.Since, q.Until, err = o.period.bounds(loc); err != nil {
		return err
	}
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	conv, err := pickConversation(ctx, a, name)
	if err != nil {
		return err
	}
	q.ConversationID = conv.ID
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		return err
	}
	persons, jconv := jsonl.Persons(people), jsonl.ConversationOf(conv)
	emit := func(m *archive.Message) error {
		if o.json {
			return printJSONLine(g.stdout, jsonl.Line(m, jconv, persons))
		}
		printMessage(g.stdout, m, people, loc, "")
		return nil
	}
	if !o.json {
		fmt.Fprintf(g.stdout, "%s (%s)\n\n", sanitizeTerminal(conv.Title), conv.Service)
	}
	if o.period.since != "" || q.Limit == 0 {
		return a.EachMessage(ctx, q, emit)
	}
	// The latest messages: read newest first, print oldest first. Bounded by --limit.
	q.Desc = true
	var latest []*archive.Message
	err = a.EachMessage(ctx, q, func(m *archive.Message) error {
		c := *m
		latest = append(latest, &c)
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(latest) - 1; i >= 0; i-- {
		if err := emit(latest[i]); err != nil {
			return err
		}
	}
	return nil
}
