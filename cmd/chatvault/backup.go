package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/backup"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/internal/progress"
	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/vault"
)

type backupOptions struct {
	to           []string
	chats        []string
	noVideos     bool
	maxMediaSize string
	json         bool
	secrets      secretOptions
}

func newBackupCommand(g *globals) *cobra.Command {
	o := &backupOptions{}
	c := &cobra.Command{
		Use:   "backup",
		Short: "Back up the archive to every vault (or --to one)",
		Long: `Back up the archive, encrypted, to every configured vault, or to those named with --to.

Each backup is a snapshot: a complete, versioned copy you can restore on its own. Only what changed
since the last backup is uploaded (a month of messages that did not change costs nothing), so a
daily backup of ten years of chats takes seconds. Before writing, chatvault estimates the upload
and stops if the destination is too small; afterwards it says how much was new.

After one backup with the password, this machine keeps the vault's unlocked key (readable by you
only) and later backups need no password: see ` + "`chatvault vault set --help`" + ` (--keep-key) and the user
guide's Security section. A backup with nothing new still writes a snapshot, proving the vault is
reachable.

--chat backs up only some conversations (repeatable); --no-videos and --max-media-size leave large
media out, like WhatsApp's "Include videos" switch (their messages are kept).

Examples:
  chatvault backup
  chatvault backup --to usb
  chatvault backup --chat "Family" --chat "Alice"
  chatvault backup --no-videos --max-media-size 50MB` + vaultExitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			results, err := runBackup(cmd.Context(), g, o)
			recordManualBackups(g, results)
			if o.json && results != nil {
				if perr := printJSON(g.stdout, results); perr != nil && err == nil {
					err = perr
				}
			}
			return err
		},
	}
	f := c.Flags()
	f.StringArrayVar(&o.to, "to", nil, "vault to back up to (repeatable; default: every configured vault)")
	f.StringArrayVar(&o.chats, "chat", nil, "back up only this conversation (repeatable)")
	f.BoolVar(&o.noVideos, "no-videos", false, "leave video files out")
	f.StringVar(&o.maxMediaSize, "max-media-size", "", "leave out media files larger than this, e.g. 50MB")
	f.BoolVar(&o.json, "json", false, "print the results as JSON")
	o.secrets.addFlags(f)
	return c
}

// backupResult is what one vault's backup did (the JSON of `backup --json`).
type backupResult = backup.Result

// runBackup backs the archive up to the chosen vaults. One vault failing does not stop the
// others; the error returned is the first failure, with its exit status.
func runBackup(ctx context.Context, g *globals, o *backupOptions) ([]backupResult, error) {
	maxSize, err := parseSize(o.maxMediaSize)
	if err != nil {
		return nil, err
	}
	refs, err := g.targetVaults(o.to)
	if err != nil {
		return nil, err
	}
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	opts := backup.Options{Version: version, Dump: dump.Options{NoVideos: o.noVideos, MaxMediaSize: maxSize}}
	if len(o.chats) > 0 {
		opts.Dump.ConversationIDs = []int64{}
		for _, name := range o.chats {
			conv, err := pickConversation(ctx, a, name)
			if err != nil {
				return nil, err
			}
			opts.Dump.ConversationIDs = append(opts.Dump.ConversationIDs, conv.ID)
		}
	}
	bar := progress.New(-1, "preparing", progress.Items)
	prepared := false
	opts.Dump.Progress = func(done, total int) {
		bar.SetTotal(int64(total))
		bar.Set(int64(done))
		if done == total && !prepared {
			prepared = true
			bar.Finish() // before the first vault's own progress
		}
	}
	var remembered string // a password typed once serves every vault it opens
	targets := make([]backup.Target, len(refs))
	byName := map[string]vaultRef{}
	for i, r := range refs {
		targets[i] = backup.Target{Name: r.name, Open: func(ctx context.Context) (*vault.Vault, error) {
			v, err := g.openVaultKept(ctx, r, &o.secrets, &remembered)
			if err != nil {
				return nil, openError{err}
			}
			return v, nil
		}}
		byName[r.name] = r
	}
	results, err := backup.Run(ctx, a, targets, opts, g.backupObserver(ctx, o.json, byName))
	if !prepared {
		bar.Finish()
	}
	if err != nil {
		return nil, err
	}
	var firstErr error
	for i := range results {
		res := &results[i]
		if res.OK {
			g.printBackup(o.json, res)
			continue
		}
		err := backupError(byName[res.Vault], res.Err)
		res.Error = oneLine(err)
		if firstErr == nil {
			firstErr = err
		}
		if !o.json && len(refs) > 1 {
			fmt.Fprintf(g.stderr, "chatvault: %s\n", oneLine(err))
		}
	}
	if firstErr != nil && len(refs) > 1 {
		firstErr = &silentError{exitCode(firstErr)} // each failure was reported above
	}
	return results, firstErr
}

// backupObserver prints what each vault's backup is about to do and shows its progress.
func (g *globals) backupObserver(ctx context.Context, quiet bool, refs map[string]vaultRef) backup.Observer {
	var bar *progress.Bar
	return backup.Observer{
		Starting: func(name string, v *vault.Vault, d *dump.Dump, reading int64) {
			if !quiet {
				fmt.Fprintf(g.stdout, "Backing up to %s: %s messages, %s in all; %s.\n",
					refs[name].label(), formatCount(int64(d.Manifest.Counts.Messages)), formatBytes(d.Bytes), changedSinceLast(ctx, g, v, d))
			}
			bar = progress.New(reading, "backup "+name, progress.Bytes)
		},
		Progress: func(_ string, p vault.Progress) { bar.Set(p.BytesRead) },
		Stopped:  func(string) { bar.Finish() },
	}
}

// printBackup says what a successful backup did.
func (g *globals) printBackup(quiet bool, res *backupResult) {
	if quiet {
		return
	}
	if res.HealedDamage {
		fmt.Fprintf(g.stdout, "The previous backup in %s was damaged at the destination: every file was read again and fresh copies stored of what this archive still has.\n", res.Vault)
	}
	fmt.Fprintf(g.stdout, "Snapshot %s in %s: %s uploaded of %s total", shortID(res.Snapshot), res.Vault, formatBytes(res.UploadedBytes), formatBytes(res.TotalBytes))
	switch {
	case res.DedupRatio >= 100:
		fmt.Fprint(g.stdout, " (the rest was already there)")
	case res.DedupRatio >= 1.5:
		fmt.Fprintf(g.stdout, " (%.0fx less than a full copy)", res.DedupRatio)
	}
	fmt.Fprintf(g.stdout, ", %.1fs.\n", res.Seconds)
}

// backupError puts a vault's backup failure in words, with its exit status.
func backupError(r vaultRef, err error) error {
	var se *backup.SpaceError
	if errors.As(err, &se) {
		return withCode(fmt.Errorf("vault %s: the backup may need up to %s but only %s is free there%s: free space or use another destination",
			r.label(), formatBytes(se.Need), formatBytes(se.Free), reserveNote(se.Reserve)), exitNoSpace)
	}
	var oe openError
	if errors.As(err, &oe) {
		return oe.error // opening the vault failed: already in words
	}
	return vaultError(r, err)
}

// openError marks a failure to open a vault, which openVault has already put in words.
type openError struct{ error }

func (e openError) Unwrap() error { return e.error }

// changedSinceLast says how much of the messages differs from the vault's newest full snapshot
// of this archive, from any device (a restored machine continues the history it came from).
// What the archive itself measured since its last backup would be wrong there: a restored
// archive has measured nothing, yet the vault holds every month already.
func changedSinceLast(ctx context.Context, g *globals, v *vault.Vault, d *dump.Dump) string {
	prev, err := v.Latest(ctx, vault.SnapshotFilter{Tags: map[string]string{"archive": d.Archive().ID(), "kind": "full"}})
	if errors.Is(err, vault.ErrSnapshotNotFound) {
		return "the vault holds no snapshot of this archive yet"
	}
	var ch dump.Changes
	if err == nil {
		var rd *vault.SnapshotReader
		if rd, err = v.OpenSnapshot(ctx, prev.ID); err == nil {
			ch, err = d.ChangedSince(ctx, snapshotSource{rd})
			rd.Close()
		}
	}
	if err != nil {
		// The figure is a courtesy: the backup itself reads everything it needs afresh.
		g.debugf("comparing with the last snapshot: %v", err)
		return "what changed since the last snapshot is unknown"
	}
	return fmt.Sprintf("%s of messages changed since the last snapshot (%s)", formatBytes(ch.Bytes), shortID(prev.ID))
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// parseSize reads sizes such as 50MB, 1.5GB, 700KiB or plain bytes.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	t := strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			mult, t = u.mult, strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 {
		return 0, usagef(fmt.Sprintf("cannot read size %q: use e.g. 50MB or 2GB", s))
	}
	return int64(f * mult), nil
}

// reserveNote tells the user about the free space chatvault leaves at a destination.
func reserveNote(reserve int64) string {
	if reserve <= 0 {
		return ""
	}
	return " (and chatvault leaves " + formatBytes(reserve) + " free)"
}

// recordManualBackups notes backups made by hand in the schedule's state, so `chatvault status`
// shows them as the last backup. A state file that cannot be written costs the note, not the
// backup.
func recordManualBackups(g *globals, results []backupResult) {
	path := filepath.Join(stateDir(), schedule.StateFile)
	st, err := schedule.ReadState(path)
	if err != nil {
		g.debugf("schedule state: %v", err)
		return
	}
	any := false
	for _, r := range results {
		if r.OK {
			took := time.Duration(r.Seconds * float64(time.Second))
			st.RecordSuccess(r.Vault, r.Time, r.Snapshot, r.TotalBytes, r.UploadedBytes, took)
			any = true
		}
	}
	if !any {
		return
	}
	if err := os.MkdirAll(stateDir(), 0o700); err == nil {
		if err := st.Save(path); err != nil {
			g.debugf("schedule state: %v", err)
		}
	}
}
