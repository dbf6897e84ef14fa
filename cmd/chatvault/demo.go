package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/demo"
)

type demoOptions struct {
	dir  string
	keep bool
}

func newDemoCommand(g *globals) *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job on a built-in example, in a temporary folder",
		Long: `Run chatvault's main job on a built-in example chat, with no account and no setup:
write an example WhatsApp export, import it into a fresh archive, import a longer export of the
same chat (only the new messages are added), list the chats, search them, and show the totals.

Nothing outside the temporary folder is touched; it is removed afterwards unless --keep.` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), g, o)
		},
	}
	c.Flags().StringVar(&o.dir, "dir", "", "folder to work in (default: a new temporary folder)")
	c.Flags().BoolVar(&o.keep, "keep", false, "keep the folder afterwards to look around")
	return c
}

func runDemo(ctx context.Context, g *globals, o *demoOptions) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "chatvault-demo-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	out := g.stdout
	step := func(format string, args ...any) { fmt.Fprintf(out, "\n== "+format+"\n", args...) }

	// The demo never touches the user's own archive or settings.
	g.archiveFlag = filepath.Join(dir, "archive")
	g.configFlag = filepath.Join(dir, "config.toml")

	first := filepath.Join(dir, "first", demo.ExportName)
	later := filepath.Join(dir, "later", demo.ExportName)
	if err := writeDemoExport(first, false); err != nil {
		return err
	}
	if err := writeDemoExport(later, true); err != nil {
		return err
	}
	fmt.Fprintf(out, "chatvault demo: working in %s\n", dir)

	step("Import an example WhatsApp export (%s)", demo.ExportName)
	if err := runImport(ctx, g, &importOptions{}, []string{first}); err != nil {
		return err
	}
	step("Import a longer export of the same chat: only the new messages are added")
	if err := runImport(ctx, g, &importOptions{}, []string{later}); err != nil {
		return err
	}
	step("chatvault chats")
	if err := runChats(ctx, g, false); err != nil {
		return err
	}
	step("chatvault search %s", demo.SearchWord)
	if err := runSearch(ctx, g, &searchOptions{limit: 3, context: 0}, demo.SearchWord); err != nil {
		return err
	}
	step("chatvault search 护照 (Chinese text is found inside words)")
	if err := runSearch(ctx, g, &searchOptions{limit: 3, context: 0}, "护照"); err != nil {
		return err
	}
	step("chatvault stats")
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	err = runStats(ctx, g, a, false)
	a.Close()
	if err != nil {
		return err
	}
	for _, s := range demoExtraSteps {
		if err := s(ctx, g, dir, step); err != nil {
			return err
		}
	}
	if o.keep || o.dir != "" {
		fmt.Fprintf(out, "\nThe demo archive is in %s; try: chatvault --archive %s chats\n", g.archiveFlag, g.archiveFlag)
	}
	fmt.Fprintln(out, "\nDone. Your own archive was not touched.")
	return nil
}

// demoExtraSteps lets later parts (backup and restore) add themselves to the demo.
var demoExtraSteps []func(ctx context.Context, g *globals, dir string, step func(string, ...any)) error

func writeDemoExport(path string, followUp bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := demo.WriteExport(f, followUp); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
