package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// globals are the settings every command shares.
type globals struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	archiveFlag string
	configFlag  string
	tzFlag      string
	verbose     bool

	cfg     *config.Config
	started time.Time
}

func newRootCommand(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "chatvault",
		Short: "Keep your chat history: import, back up encrypted, restore, read and search",
		Long: `chatvault keeps your chat history safe and readable.

It imports chat exports (WhatsApp "Export chat" .txt/.zip/folders, and more to come) into one
archive on this machine, backs that archive up encrypted, versioned and deduplicated to drives and
cloud storage, restores it on a new machine, and lets you read, search and export it.

Start with:
  chatvault demo                                   see it work on a built-in example
  chatvault import "WhatsApp Chat with Alice.zip"  bring in your first export
  chatvault chats                                  what the archive holds

Settings come from flags, then CHATVAULT_* environment variables (CHATVAULT_ARCHIVE,
CHATVAULT_CONFIG, CHATVAULT_TZ, ...), then the settings file
($XDG_CONFIG_HOME/chatvault/config.toml), then defaults. The archive lives in
$XDG_DATA_HOME/chatvault/archive unless you say otherwise.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usagef(err.Error() + " (see --help)") })
	pf := root.PersistentFlags()
	pf.StringVar(&g.archiveFlag, "archive", "", "archive directory (env CHATVAULT_ARCHIVE; default $XDG_DATA_HOME/chatvault/archive)")
	pf.StringVar(&g.configFlag, "config", "", "settings file (env CHATVAULT_CONFIG; default $XDG_CONFIG_HOME/chatvault/config.toml)")
	pf.StringVar(&g.tzFlag, "tz", "", "time zone for reading exports without one and for showing times, e.g. Europe/Berlin (env CHATVAULT_TZ; default: this system's zone)")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "more detail, also on failures")

	// Every command, in one list: one file per command under this folder.
	root.AddCommand(
		newDemoCommand(g),
		newImportCommand(g),
		newChatsCommand(g),
		newShowCommand(g),
		newSearchCommand(g),
		newStatsCommand(g),
		newContactsCommand(g),
		newMeCommand(g),
		newExportCommand(g),
		newViewCommand(g),
		newVaultCommand(g),
		newInitCommand(g),
		newBackupCommand(g),
		newSnapshotsCommand(g),
		newRestoreCommand(g),
		newVerifyCommand(g),
		newForgetCommand(g),
		newPasswdCommand(g),
		newCopyCommand(g),
		newScheduleCommand(g),
		newWatchCommand(g),
		newRunCommand(g),
		newDaemonCommand(g),
		newStatusCommand(g),
		newSourcesCommand(g),
		newDoctorCommand(g),
	)
	refuseUnknownSubcommands(root)
	return root
}

// debugf prints a line of detail with -v: phases and their timings, never secrets or message text.
func (g *globals) debugf(format string, args ...any) {
	if g.verbose {
		fmt.Fprintf(g.stderr, "[%6.2fs] %s\n", time.Since(g.started).Seconds(), fmt.Sprintf(format, args...))
	}
}

func (g *globals) configPath() string {
	if g.configFlag != "" {
		return config.ExpandHome(g.configFlag)
	}
	return config.DefaultPath()
}

// config loads the settings file once.
func (g *globals) config() (*config.Config, error) {
	if g.cfg != nil {
		return g.cfg, nil
	}
	c, err := config.Load(g.configPath())
	if err != nil {
		return nil, err
	}
	g.cfg = c
	return c, nil
}

func (g *globals) archivePath() (string, error) {
	c, err := g.config()
	if err != nil {
		return "", err
	}
	return config.ResolveArchive(g.archiveFlag, c), nil
}

// openArchive opens (creating if needed) the archive.
func (g *globals) openArchive(ctx context.Context) (*archive.Archive, error) {
	p, err := g.archivePath()
	if err != nil {
		return nil, err
	}
	return archive.Open(ctx, p)
}

// openExistingArchive opens the archive for commands that only read: a missing archive is an
// error that says how to make one, not a new empty folder.
func (g *globals) openExistingArchive(ctx context.Context) (*archive.Archive, error) {
	p, err := g.archivePath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p); os.IsNotExist(err) {
		return nil, fmt.Errorf("no archive at %s yet: run `chatvault import FILE` first (or pass --archive)", p)
	}
	return archive.Open(ctx, p)
}

// location is the time zone for reading wall-clock exports and showing times.
func (g *globals) location() (*time.Location, error) {
	name := g.tzFlag
	if name == "" {
		name = os.Getenv("CHATVAULT_TZ")
	}
	if name == "" {
		if c, err := g.config(); err == nil {
			name = c.TZ
		}
	}
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usagef(fmt.Sprintf("unknown time zone %q: use an IANA name such as Europe/Berlin or America/New_York", name))
	}
	return loc, nil
}

// refuseUnknownSubcommands makes every command that groups others ("vault", "export", and
// "schedule" or "watch", which also do something alone) fail on a word it does not know, with
// the nearest ones, instead of printing its help and exiting 0 as if it had done something:
// `chatvault vault lst` is a typo a script must see.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Parent() == nil {
		return
	}
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	if c.Run != nil || c.RunE != nil {
		// The group runs alone too: a word its own arguments refuse is a mistyped subcommand.
		own := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if own == nil || own(cmd, args) == nil {
				return nil
			}
			return unknownSubcommand(cmd, args[0])
		}
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return unknownSubcommand(cmd, args[0])
	}
}

// unknownSubcommand names the nearest subcommands of cmd to word, or all of them.
func unknownSubcommand(cmd *cobra.Command, word string) error {
	msg := fmt.Sprintf("unknown command %q for %q", word, cmd.CommandPath())
	if s := cmd.SuggestionsFor(word); len(s) > 0 {
		return usagef(msg + "; did you mean " + strings.Join(s, " or ") + "?")
	}
	var names []string
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return usagef(msg + " (commands: " + strings.Join(names, ", ") + ")")
}
