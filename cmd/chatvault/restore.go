package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/progress"
)

type restoreOptions struct {
	from        string
	snapshot    string
	to          string
	intoCurrent bool
	chats       []string
	json        bool
	secrets     secretOptions
}

func newRestoreCommand(g *globals) *cobra.Command {
	o := &restoreOptions{}
	c := &cobra.Command{
		Use:   "restore --from VAULT",
		Short: "Bring the archive (or some chats) back from a backup",
		Long: `Restore from a vault: the whole archive on a new machine, or some conversations into the archive
you have. --from takes a configured vault name or the destination itself, so a new machine needs
nothing but the destination and the password (or the recovery key).

The archive is rebuilt from the backup's files, then checked against the backup's manifest
(counts and digests). Damage is reported and the rest is still restored.

  --to DIR          restore into a new archive in DIR (must be empty or absent)
  --into-current    merge into the current archive (messages already there are kept once)
  (neither)         restore into the current archive location if it is empty

Examples:
  chatvault restore --from /media/me/USB/chatvault                 # a new machine
  chatvault restore --from usb --to ~/chatvault-new --snapshot 3f2a9c
  chatvault restore --from usb --chat "Alice" --into-current        # bring one deleted chat back` + vaultExitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRestore(cmd.Context(), g, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.from, "from", "", "vault name or destination to restore from (required)")
	f.StringVar(&o.snapshot, "snapshot", "latest", "snapshot ID (or a unique prefix of it), or latest")
	f.StringVar(&o.to, "to", "", "restore into a new archive in this folder")
	f.BoolVar(&o.intoCurrent, "into-current", false, "merge into the current archive")
	f.StringArrayVar(&o.chats, "chat", nil, "restore only this conversation (repeatable; matches titles)")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	o.secrets.addFlags(f)
	c.MarkFlagRequired("from")
	return c
}

func runRestore(ctx context.Context, g *globals, o *restoreOptions) error {
	if o.to != "" && o.intoCurrent {
		return usagef("use either --to DIR or --into-current, not both")
	}
	target := config.ExpandHome(o.to)
	if target == "" {
		p, err := g.archivePath()
		if err != nil {
			return err
		}
		target = p
	}
	if !o.intoCurrent {
		if err := checkEmptyTarget(ctx, target, o.to == ""); err != nil {
			return err
		}
	}
	r, err := g.resolveVault(o.from)
	if err != nil {
		return err
	}
	v, err := g.openVault(ctx, r, &o.secrets, true, nil)
	if err != nil {
		return err
	}
	defer v.Close(context.WithoutCancel(ctx))
	snap, err := pickSnapshot(ctx, v, r, o.snapshot)
	if err != nil {
		return err
	}
	reader, err := v.OpenSnapshot(ctx, snap.ID)
	if err != nil {
		return vaultError(r, err)
	}
	defer reader.Close()
	a, err := archive.Open(ctx, target)
	if err != nil {
		return err
	}
	defer a.Close()

	lopts := dump.LoadOptions{Description: fmt.Sprintf("restore of snapshot %s from %s", snap.ID, r.dest)}
	if len(o.chats) > 0 {
		lopts.Include = chatFilter(o.chats)
	}
	bar := progress.New(-1, "restore", progress.Items)
	lopts.Progress = func(done, total int64) {
		bar.SetTotal(total)
		bar.Set(done)
	}
	rep, err := dump.Load(ctx, snapshotSource{reader}, a, lopts)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("restore from %s: %w", r.label(), err)
	}
	if len(o.chats) > 0 && rep.Conversations == 0 {
		return withCode(fmt.Errorf("snapshot %s holds no conversation matching %s", shortID(snap.ID), strings.Join(o.chats, ", ")), exitNoVault)
	}
	if o.json {
		out := restoreReport{LoadReport: rep}
		if len(rep.Problems) > 0 {
			out.Error = &failure{Kind: exitKind(exitDamaged), ExitStatus: exitDamaged,
				Message: fmt.Sprintf("restored with damage: %s (each is in \"problems\")", countOf(len(rep.Problems), "problem"))}
		}
		if err := printJSON(g.stdout, out); err != nil {
			return err
		}
	} else {
		loc, _ := g.location()
		fmt.Fprintf(g.stdout, "Restored snapshot %s (%s) from %s into %s:\n", shortID(snap.ID), formatTime(snap.StartTime, loc), r.label(), a.Dir())
		fmt.Fprintf(g.stdout, "  %s, %s (%s new, %s already there), %s (%s)\n",
			countOf(rep.Conversations, "conversation"), countOf(rep.MessagesRead, "message"), formatCount(int64(rep.MessagesAdded)),
			formatCount(int64(rep.MessagesPresent)), countOf(rep.MediaFiles, "media file"), formatBytes(rep.MediaBytes))
		if rep.MediaMissing > 0 {
			fmt.Fprintf(g.stdout, "  %s attachments have no file in this backup (left out by --no-videos/--max-media-size, or damaged)\n", formatCount(int64(rep.MediaMissing)))
		}
		if len(rep.Problems) == 0 && lopts.Include == nil {
			fmt.Fprintln(g.stdout, "  Checked against the backup's manifest: counts and digests match.")
		}
	}
	if name, err := g.rememberVault(r); err != nil {
		fmt.Fprintf(g.stderr, "chatvault: could not remember the vault: %v (add it with `chatvault vault add`)\n", err)
	} else if name != "" && !o.json {
		fmt.Fprintf(g.stdout, "Remembered this vault as %q: `chatvault backup` now backs up to it.\n", name)
	}
	if len(rep.Problems) > 0 {
		for _, p := range rep.Problems {
			fmt.Fprintf(g.stderr, "chatvault: damage: %s\n", p)
		}
		return &silentError{exitDamaged}
	}
	return nil
}

// checkEmptyTarget refuses to restore a whole archive over one that holds messages.
func checkEmptyTarget(ctx context.Context, dir string, isCurrent bool) error {
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	a, err := archive.Open(ctx, dir)
	if err != nil {
		return usagef(fmt.Sprintf("%s is not empty: restore into an empty or new folder (--to)", dir))
	}
	defer a.Close()
	st, err := a.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Messages == 0 {
		return nil
	}
	if isCurrent {
		return usagef(fmt.Sprintf("the archive at %s already holds %s messages: use --to DIR for a separate copy, or --into-current to merge", dir, formatCount(int64(st.Messages))))
	}
	return usagef(fmt.Sprintf("%s already holds an archive with %s messages: choose an empty folder", dir, formatCount(int64(st.Messages))))
}

// chatFilter matches conversations by title, exactly (ignoring case) or as a part.
func chatFilter(names []string) func(dump.ConversationEntry) bool {
	return func(c dump.ConversationEntry) bool {
		t := strings.ToLower(c.Title)
		for _, n := range names {
			n = strings.ToLower(strings.TrimSpace(n))
			if t == n || strings.Contains(t, n) || c.Key == n {
				return true
			}
		}
		return false
	}
}

// restoreReport is what `restore --json` prints: the load's report, and the error member every
// --json failure has when damage was found (exit status 15).
type restoreReport struct {
	*dump.LoadReport
	Error *failure `json:"error,omitempty"`
}
