package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
)

func newStatsCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "stats",
		Short: "Count conversations, messages, attachments and media bytes",
		Long: `Show what the archive holds: conversations, messages, participants, attachments (and how
many of them have no media file because the export left it out), media files and their size.` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := g.openExistingArchive(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			return runStats(ctx, g, a, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func runStats(ctx context.Context, g *globals, a *archive.Archive, asJSON bool) error {
	s, err := a.Stats(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(g.stdout, s)
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	tw := newTable(g.stdout)
	fmt.Fprintf(tw, "Conversations\t%s\n", formatCount(int64(s.Conversations)))
	fmt.Fprintf(tw, "Messages\t%s\n", formatCount(int64(s.Messages)))
	fmt.Fprintf(tw, "Participants\t%s\n", formatCount(int64(s.Participants)))
	fmt.Fprintf(tw, "Attachments\t%s (%s without their media file)\n", formatCount(int64(s.Attachments)), formatCount(int64(s.MediaMissing)))
	fmt.Fprintf(tw, "Media files\t%s, %s\n", formatCount(int64(s.MediaFiles)), formatBytes(s.MediaBytes))
	fmt.Fprintf(tw, "Imports\t%s\n", formatCount(int64(s.Imports)))
	if s.Messages > 0 {
		fmt.Fprintf(tw, "From\t%s\n", formatTime(s.First, loc))
		fmt.Fprintf(tw, "To\t%s\n", formatTime(s.Last, loc))
	}
	return tw.Flush()
}
