package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/vault"
)

type verifyOptions struct {
	repair      bool
	readData    bool
	testRestore bool
	json        bool
	secrets     secretOptions
}

func newVerifyCommand(g *globals) *cobra.Command {
	o := &verifyOptions{}
	c := &cobra.Command{
		Use:   "verify VAULT",
		Short: "Check that a vault's backups are complete and readable",
		Long: `Check a vault. Without flags, the structure of every snapshot: every folder is read and every
piece of every file exists at the destination with the right size. --read-data downloads and
decrypts everything (slow on a cloud, thorough). --test-restore also restores the newest backup into
a temporary folder and checks it against its manifest, as a new machine would.

Damage is reported per snapshot, with the conversations it touches; undamaged snapshots are
listed as good, and remain restorable.

--repair heals what it can: files the vault cannot be opened without are put back from their
second copies, an unreadable index is rebuilt from the data, the damaged pieces are marked so they
are stored again, and this archive is backed up to the vault to store fresh copies of everything
it still has. Every snapshot that shared those pieces is whole again; what the archive no longer
has is listed, by conversation, as lost from the snapshots that held it. Use it with --read-data
to find flipped bytes too.` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().BoolVar(&o.repair, "repair", false, "heal the damage found: restore, rebuild, and back this archive up again")
	c.Flags().BoolVar(&o.readData, "read-data", false, "download and decrypt every byte")
	c.Flags().BoolVar(&o.testRestore, "test-restore", false, "also restore the newest backup into a temporary folder and check it")
	c.Flags().BoolVar(&o.json, "json", false, "print the report as JSON")
	o.secrets.addFlags(c.Flags())
	return c
}

type verifyResult struct {
	Vault       string           `json:"vault"`
	Snapshots   []snapshotHealth `json:"snapshots"`
	ReadData    bool             `json:"read_data"`
	BytesRead   int64            `json:"bytes_read"`
	TestRestore *dump.LoadReport `json:"test_restore,omitempty"`
	Repair      *repairResult    `json:"repair,omitempty"`
	OK          bool             `json:"ok"`
	Error       *failure         `json:"error,omitempty"` // set with exit status 15, as every --json failure is
}

type snapshotHealth struct {
	ID            string   `json:"id"`
	Time          string   `json:"time"`
	OK            bool     `json:"ok"`
	Damaged       []string `json:"damaged,omitempty"`
	Conversations []string `json:"conversations,omitempty"` // titles of the conversations the damage touches
}

func runVerify(ctx context.Context, g *globals, o *verifyOptions, name string) error {
	r, err := g.resolveVault(name)
	if err != nil {
		return err
	}
	var rr vault.RepairReport
	open := vault.Open
	if o.repair {
		open = func(ctx context.Context, d vault.Destination, s vault.Secret, opts vault.OpenOptions) (*vault.Vault, error) {
			v, report, err := vault.Repair(ctx, d, s, opts)
			rr = report
			return v, err
		}
	}
	v, err := g.openVaultWith(ctx, r, &o.secrets, !o.repair, nil, open)
	if err != nil {
		return err
	}
	defer v.Close(context.WithoutCancel(ctx))
	rep, err := verifyWithBar(ctx, v, r, o.readData)
	if err != nil {
		return err
	}
	var repaired *repairResult
	if o.repair {
		if repaired, rep, err = repairVault(ctx, g, o, r, v, rr, rep); err != nil {
			return err
		}
	}
	res := verifyResult{Repair: repaired, Vault: r.name, ReadData: rep.ReadData, BytesRead: rep.BytesRead, OK: true, Snapshots: []snapshotHealth{}}
	loc, _ := g.location()
	for _, sc := range rep.Snapshots {
		h := snapshotHealth{ID: sc.Snapshot.ID, Time: formatTime(sc.Snapshot.StartTime, loc), OK: len(sc.Damaged) == 0}
		for _, d := range sc.Damaged {
			h.Damaged = append(h.Damaged, d.Path+": "+d.Error)
		}
		if !h.OK {
			res.OK = false
			h.Conversations = damagedConversations(ctx, g, v, sc)
		}
		res.Snapshots = append(res.Snapshots, h)
	}
	if o.testRestore && res.OK {
		if res.TestRestore, err = testRestore(ctx, v, r); err != nil {
			return err
		}
		if len(res.TestRestore.Problems) > 0 {
			res.OK = false
		}
	}
	if o.json {
		if !res.OK {
			res.Error = damageFailure(g, fmt.Sprintf("vault %s is damaged: each damaged snapshot is in \"snapshots\"; `chatvault verify %s --repair` heals what this archive still has", r.label(), r.name))
		}
		if err := printJSON(g.stdout, res); err != nil {
			return err
		}
	} else {
		printRepair(g, r, res.Repair)
		printVerify(g, r, res)
	}
	if !res.OK {
		return &silentError{exitDamaged}
	}
	return nil
}

func printVerify(g *globals, r vaultRef, res verifyResult) {
	w := g.stdout
	how := "structure checked"
	if res.ReadData {
		how = fmt.Sprintf("every byte read (%s)", formatBytes(res.BytesRead))
	}
	fmt.Fprintf(w, "Vault %s: %d snapshots, %s.\n", r.label(), len(res.Snapshots), how)
	for _, s := range res.Snapshots {
		if s.OK {
			fmt.Fprintf(w, "  %s  %s  good\n", shortID(s.ID), s.Time)
			continue
		}
		fmt.Fprintf(w, "  %s  %s  DAMAGED: %d files", shortID(s.ID), s.Time, len(s.Damaged))
		if len(s.Conversations) > 0 {
			titles := make([]string, len(s.Conversations))
			for i, t := range s.Conversations {
				titles[i] = sanitizeTerminal(t)
			}
			fmt.Fprintf(w, "; conversations affected: %s", strings.Join(titles, ", "))
		}
		fmt.Fprintln(w)
		for i, d := range s.Damaged {
			if i == 5 {
				fmt.Fprintf(w, "      ... and %d more (--json lists them)\n", len(s.Damaged)-5)
				break
			}
			fmt.Fprintf(w, "      %s\n", sanitizeTerminal(d))
		}
	}
	if t := res.TestRestore; t != nil {
		fmt.Fprintf(w, "Test restore of the newest backup: %s conversations, %s messages, %s media files", formatCount(int64(t.Conversations)),
			formatCount(int64(t.MessagesRead)), formatCount(int64(t.MediaFiles)))
		if len(t.Problems) == 0 {
			fmt.Fprintln(w, ", matching its manifest.")
		} else {
			fmt.Fprintf(w, ", with problems:\n")
			for _, p := range t.Problems {
				fmt.Fprintf(w, "      %s\n", sanitizeTerminal(p))
			}
		}
	}
	switch {
	case res.OK:
		fmt.Fprintln(w, "All good.")
	case res.Repair != nil:
		fmt.Fprintln(w, "Lost for good: this archive no longer has the files listed, so the snapshots above cannot get them back; the other snapshots restore completely (restore --snapshot ID).")
	default:
		fmt.Fprintf(w, "Damage found: the good snapshots still restore (restore --snapshot ID). To store fresh copies from this archive: chatvault verify %s --repair%s\n", r.name, map[bool]string{true: " --read-data"}[res.ReadData])
	}
}

// damagedConversations names the conversations whose files are damaged in a snapshot, from the
// snapshot's manifest when it can still be read.
func damagedConversations(ctx context.Context, g *globals, v *vault.Vault, sc vault.SnapshotCheck) []string {
	reader, err := v.OpenSnapshot(ctx, sc.Snapshot.ID)
	if err != nil {
		return nil
	}
	defer reader.Close()
	convs, err := conversationList(ctx, g, v, reader, sc)
	if err != nil {
		return []string{"(the snapshot's manifest is damaged too: every conversation may be affected)"}
	}
	byDir := map[string]string{}
	for _, c := range convs {
		byDir[path.Dir(c.Meta.Path)] = c.Title
	}
	seen := map[string]bool{}
	var out []string
	media := map[string]bool{} // sha256 names of damaged media files
	add := func(p string) {
		for dir, title := range byDir {
			if (p == dir || strings.HasPrefix(p, dir+"/")) && !seen[title] {
				seen[title] = true
				out = append(out, title)
			}
		}
	}
	for _, d := range sc.Damaged {
		p := strings.TrimPrefix(d.Path, "/")
		if strings.HasPrefix(p, "media/") {
			media[path.Base(p)] = true
			continue
		}
		add(p)
	}
	if len(media) > 0 {
		for _, p := range monthsMentioning(ctx, reader, byDir, media) {
			add(p)
		}
	}
	sort.Strings(out)
	return out
}

// monthsMentioning returns the month files (under the conversations' folders) whose messages
// refer to one of the media files by its content name, so damaged photos and videos are put to
// the conversations they belong to. It reads message text only when there is media damage.
func monthsMentioning(ctx context.Context, reader *vault.SnapshotReader, byDir map[string]string, media map[string]bool) []string {
	var out []string
	for dir := range byDir {
		_ = reader.Walk(ctx, dir, func(e vault.EntryInfo) error {
			if e.IsDir || !strings.HasSuffix(e.Path, ".jsonl") {
				return nil
			}
			f, _, err := reader.Open(ctx, e.Path)
			if err != nil {
				return nil // damaged itself: already reported
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 64<<10), 16<<20)
			for sc.Scan() {
				line := sc.Bytes()
				for sha := range media {
					if bytes.Contains(line, []byte(sha)) {
						out = append(out, e.Path)
						return nil
					}
				}
			}
			return nil
		})
	}
	return out
}

// testRestore restores the newest complete backup into a temporary archive and checks it.
func testRestore(ctx context.Context, v *vault.Vault, r vaultRef) (*dump.LoadReport, error) {
	snap, err := pickSnapshot(ctx, v, r, "latest")
	if err != nil {
		return nil, err
	}
	reader, err := v.OpenSnapshot(ctx, snap.ID)
	if err != nil {
		return nil, vaultError(r, err)
	}
	defer reader.Close()
	dir, err := os.MkdirTemp("", "chatvault-test-restore-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	a, err := archive.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return dump.Load(ctx, snapshotSource{reader}, a, dump.LoadOptions{Description: "test restore"})
}

// conversationList lists the conversations a snapshot holds, with their folders: from its own
// manifest, or when that is damaged too, from this machine's archive if the snapshot is a backup
// of it (a conversation's folder in the dump never changes).
func conversationList(ctx context.Context, g *globals, v *vault.Vault, reader *vault.SnapshotReader, sc vault.SnapshotCheck) ([]dump.ConversationEntry, error) {
	m, err := dump.ReadManifest(ctx, snapshotSource{reader})
	if err == nil {
		return m.Conversations, nil
	}
	p, perr := g.archivePath()
	if perr != nil {
		return nil, err
	}
	if _, serr := os.Stat(p); serr != nil {
		return nil, err
	}
	a, aerr := archive.Open(ctx, p)
	if aerr != nil || a.ID() != sc.Snapshot.Tags["archive"] {
		if a != nil {
			a.Close()
		}
		return nil, err
	}
	defer a.Close()
	d, derr := dump.Build(ctx, a, dump.Options{ManifestOnly: true})
	if derr != nil {
		return nil, err
	}
	defer d.Close(context.WithoutCancel(ctx))
	return d.Manifest.Conversations, nil
}
