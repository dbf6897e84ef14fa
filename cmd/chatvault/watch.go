package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/config"
)

func newWatchCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "watch",
		Short: "Import chat exports that appear in a folder (your Downloads, say)",
		Long: `Watch folders for chat exports: a WhatsApp or Telegram export saved or downloaded there is
imported by the next scheduled run (` + "`chatvault schedule install`" + ` starts one when the folder changes
where the system can tell, and every 15 minutes otherwise; ` + "`chatvault daemon`" + ` looks every few
seconds).

A file still being written (a download in progress) is imported once it is complete. The same
content is never imported twice, whatever its name. Files that are not chat exports are left
alone and listed by ` + "`chatvault status`" + `; they are looked at again only if they change.

Without a subcommand, lists the watched folders.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listWatched(g, asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the watched folders",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return listWatched(g, asJSON) },
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(&cobra.Command{
		Use:   "add FOLDER...",
		Short: "Watch folders for new chat exports",
		Long: `Watch folders for new chat exports. Exports already in the folder are imported too (importing
an export again adds nothing).

Example:
  chatvault watch add ~/Downloads`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runWatchAdd(g, args) },
	}, &cobra.Command{
		Use:   "remove FOLDER...",
		Short: "Stop watching folders (nothing in them is touched)",
		Args:  cobra.MinimumNArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runWatchRemove(g, args) },
	}, list)
	return c
}

func runWatchAdd(g *globals, folders []string) error {
	c, err := g.config()
	if err != nil {
		return err
	}
	added := 0
	for _, f := range folders {
		p := watchedPath(f)
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			return usagef(fmt.Sprintf("%s is not a folder", p))
		}
		// The watcher looks at what appears in a folder; an iPhone backup is updated in place
		// inside the folder Finder keeps one backup per device in: watch that one.
		if im, err := importer.Detect(importer.LocalSource(p)); err == nil && im.Name() == "iphone-backup" {
			parent := filepath.Dir(p)
			fmt.Fprintf(g.stdout, "%s is an iPhone backup: watching the folder it is in, %s, where each device's backup is kept.\n", sanitizeTerminal(p), sanitizeTerminal(parent))
			p = parent
		}
		if slices.ContainsFunc(c.Watch, func(w config.Watch) bool { return watchedPath(w.Path) == p }) {
			fmt.Fprintf(g.stdout, "Already watching %s.\n", sanitizeTerminal(p))
			continue
		}
		c.Watch = append(c.Watch, config.Watch{Path: p})
		added++
		fmt.Fprintf(g.stdout, "Watching %s: chat exports that appear there are imported by the next run.\n", sanitizeTerminal(p))
	}
	if added == 0 {
		return nil
	}
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	return refreshInstalled(g, true)
}

func runWatchRemove(g *globals, folders []string) error {
	c, err := g.config()
	if err != nil {
		return err
	}
	for _, f := range folders {
		p := watchedPath(f)
		i := slices.IndexFunc(c.Watch, func(w config.Watch) bool { return watchedPath(w.Path) == p })
		if i < 0 {
			return usagef(fmt.Sprintf("%s is not watched (chatvault watch lists the watched folders)", p))
		}
		c.Watch = slices.Delete(c.Watch, i, i+1)
		fmt.Fprintf(g.stdout, "No longer watching %s.\n", sanitizeTerminal(p))
	}
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	_, installed := newInstaller(runtime.GOOS).Installed()
	if !installed {
		return nil
	}
	return refreshInstalled(g, false)
}

func listWatched(g *globals, asJSON bool) error {
	s, _, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	if asJSON {
		if s.Folders == nil {
			s.Folders = []string{}
		}
		return printJSON(g.stdout, s.Folders)
	}
	if len(s.Folders) == 0 {
		fmt.Fprintln(g.stdout, "No watched folders: chatvault watch add ~/Downloads")
		return nil
	}
	for _, f := range s.Folders {
		fmt.Fprintln(g.stdout, sanitizeTerminal(f))
	}
	fmt.Fprintln(g.stdout, "`chatvault status` shows what was imported from them and what was left alone.")
	return nil
}
