package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
)

func newChatsCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "chats",
		Aliases: []string{"conversations"},
		Short:   "List conversations with message counts and first and last dates",
		Long: `List every conversation in the archive, most recently active first, with its number of
messages and the dates of its first and last message.` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runChats(cmd.Context(), g, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func runChats(ctx context.Context, g *globals, asJSON bool) error {
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := g.location()
	if err != nil {
		return err
	}
	convs, err := a.Conversations(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		type row struct {
			ID int64 `json:"id"`
			archive.ConversationSummary
		}
		out := make([]row, len(convs))
		for i, c := range convs {
			out[i] = row{c.ID, c}
		}
		return printJSON(g.stdout, out)
	}
	if len(convs) == 0 {
		fmt.Fprintln(g.stdout, "The archive is empty: `chatvault import FILE` brings in an export.")
		return nil
	}
	tw := newTable(g.stdout)
	fmt.Fprintln(tw, "ID\tCONVERSATION\tSERVICE\tKIND\tMESSAGES\tFIRST\tLAST")
	for _, c := range convs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, sanitizeTerminal(c.Title), c.Service, c.Kind,
			formatCount(int64(c.Messages)), formatTime(c.First, loc), formatTime(c.Last, loc))
	}
	return tw.Flush()
}
