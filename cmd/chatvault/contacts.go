package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newContactsCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "contacts",
		Short: "List the people in the archive",
		Long: `List everyone who appears in the archive, with how many messages they sent and in how many
conversations they are. "me" marks you (see import --me).` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := g.openExistingArchive(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			people, err := a.Participants(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(g.stdout, people)
			}
			tw := newTable(g.stdout)
			fmt.Fprintln(tw, "NAME\tSERVICE\tPHONE\tMESSAGES\tCHATS\t")
			for _, p := range people {
				me := ""
				if p.IsMe {
					me = "me"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", sanitizeTerminal(p.Name), p.Service, sanitizeTerminal(p.Phone),
					formatCount(int64(p.Messages)), p.Conversations, me)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
