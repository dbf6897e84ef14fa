package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/jsonl"
)

type searchOptions struct {
	chat    string
	period  periodOptions
	limit   int
	context int
	json    bool
}

func newSearchCommand(g *globals) *cobra.Command {
	o := &searchOptions{}
	c := &cobra.Command{
		Use:   "search QUERY",
		Short: "Find messages across every conversation, newest first",
		Long: `Find messages whose text or attachment names contain every word of QUERY, newest first,
each with its conversation, sender and time, and -C neighbouring messages around it.

Words match from their start ("pass" finds "passport"); Chinese, Japanese, Korean and Thai text
matches anywhere inside (护照 finds 我的护照丢了); "quoted words" must appear together. Case and
accents are ignored.

Examples:
  chatvault search passport
  chatvault search "train ticket" --chat Family --since 2022-01-01
  chatvault search 护照 -C 2` + exitStatusHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSearch(cmd.Context(), g, o, strings.Join(args, " "))
		},
	}
	f := c.Flags()
	f.StringVar(&o.chat, "chat", "", "search only this conversation")
	o.period.addFlags(f)
	f.IntVar(&o.limit, "limit", 20, "how many matches to show")
	f.IntVarP(&o.context, "context", "C", 1, "messages to show before and after each match")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return c
}

func runSearch(ctx context.Context, g *globals, o *searchOptions, text string) error {
	loc, err := g.location()
	if err != nil {
		return err
	}
	q := archive.SearchQuery{Text: text, Limit: o.limit}
	if q.Since, q.Until, err = o.period.bounds(loc); err != nil {
		return err
	}
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	if o.chat != "" {
		conv, err := pickConversation(ctx, a, o.chat)
		if err != nil {
			return err
		}
		q.ConversationID = conv.ID
	}
	hits, err := a.Search(ctx, q)
	if err != nil {
		return err
	}
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		return err
	}
	titles := map[int64]string{}
	title := func(id int64) string {
		if t, ok := titles[id]; ok {
			return t
		}
		c, err := a.ConversationByID(ctx, id)
		if err == nil {
			titles[id] = c.Title
		}
		return c.Title
	}
	if o.json {
		persons := jsonl.Persons(people)
		out := make([]jsonl.Message, 0, len(hits))
		for _, h := range hits {
			c, err := a.ConversationByID(ctx, h.Message.ConversationID)
			if err != nil {
				return err
			}
			out = append(out, jsonl.Line(h.Message, jsonl.ConversationOf(c), persons))
		}
		return printJSON(g.stdout, out)
	}
	if len(hits) == 0 {
		fmt.Fprintf(g.stdout, "No messages match %q.\n", sanitizeTerminal(text))
		return nil
	}
	for i, h := range hits {
		m := h.Message
		if i > 0 {
			fmt.Fprintln(g.stdout)
		}
		fmt.Fprintf(g.stdout, "── %s ──\n", sanitizeTerminal(title(m.ConversationID)))
		before, after, err := neighbours(ctx, a, m, o.context)
		if err != nil {
			return err
		}
		for _, n := range before {
			printMessage(g.stdout, n, people, loc, "   ")
		}
		printMessage(g.stdout, m, people, loc, " > ")
		for _, n := range after {
			printMessage(g.stdout, n, people, loc, "   ")
		}
	}
	if len(hits) == o.limit {
		fmt.Fprintf(g.stdout, "\nShowing the newest %d matches; --limit shows more.\n", o.limit)
	}
	return nil
}

// neighbours returns up to n messages before and after m in its conversation.
func neighbours(ctx context.Context, a *archive.Archive, m *archive.Message, n int) (before, after []*archive.Message, err error) {
	if n <= 0 {
		return nil, nil, nil
	}
	pos := &archive.Position{Time: m.Time, ID: m.ID}
	collect := func(desc bool, out *[]*archive.Message) error {
		return a.EachMessage(ctx, archive.MessageQuery{ConversationID: m.ConversationID, After: pos, Desc: desc, Limit: n, WithParts: true},
			func(x *archive.Message) error {
				c := *x
				*out = append(*out, &c)
				return nil
			})
	}
	if err := collect(true, &before); err != nil {
		return nil, nil, err
	}
	for i, j := 0, len(before)-1; i < j; i, j = i+1, j-1 {
		before[i], before[j] = before[j], before[i]
	}
	return before, after, collect(false, &after)
}
