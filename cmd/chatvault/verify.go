package main

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/internal/progress"
	"github.com/chatvault/chatvault/vault"
)

func init() { extraCommands = append(extraCommands, newVerifyCommand) }

type verifyOptions struct {
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
listed as good, and remain restorable.` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), g, o, args[0])
		},
	}
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
	OK          bool             `json:"ok"`
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
	v, err := g.openVault(ctx, r, &o.secrets, true, nil)
	if err != nil {
		return err
	}
	defer v.Close(context.WithoutCancel(ctx))
	bar := progress.New(-1, "verify "+r.name, progress.Items)
	rep, err := v.Verify(ctx, vault.VerifyOptions{ReadData: o.readData, Progress: func(p vault.VerifyProgress) {
		bar.SetTotal(int64(p.Snapshots))
		bar.Set(int64(p.SnapshotsDone))
	}})
	bar.Finish()
	if err != nil {
		return vaultError(r, err)
	}
	res := verifyResult{Vault: r.name, ReadData: rep.ReadData, BytesRead: rep.BytesRead, OK: true, Snapshots: []snapshotHealth{}}
	loc, _ := g.location()
	for _, sc := range rep.Snapshots {
		h := snapshotHealth{ID: sc.Snapshot.ID, Time: formatTime(sc.Snapshot.StartTime, loc), OK: len(sc.Damaged) == 0}
		for _, d := range sc.Damaged {
			h.Damaged = append(h.Damaged, d.Path+": "+d.Error)
		}
		if !h.OK {
			res.OK = false
			h.Conversations = damagedConversations(ctx, v, sc)
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
		if err := printJSON(g.stdout, res); err != nil {
			return err
		}
	} else {
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
	if res.OK {
		fmt.Fprintln(w, "All good.")
	} else {
		fmt.Fprintln(w, "Damage found: the good snapshots still restore (restore --snapshot ID); back up again to store fresh copies.")
	}
}

// damagedConversations names the conversations whose files are damaged in a snapshot, from the
// snapshot's manifest when it can still be read.
func damagedConversations(ctx context.Context, v *vault.Vault, sc vault.SnapshotCheck) []string {
	reader, err := v.OpenSnapshot(ctx, sc.Snapshot.ID)
	if err != nil {
		return nil
	}
	defer reader.Close()
	m, err := dump.ReadManifest(ctx, snapshotSource{reader})
	if err != nil {
		return []string{"(the snapshot's manifest is damaged too: every conversation may be affected)"}
	}
	byDir := map[string]string{}
	for _, c := range m.Conversations {
		byDir[path.Dir(c.Meta.Path)] = c.Title
	}
	seen := map[string]bool{}
	var out []string
	mediaDamaged := false
	for _, d := range sc.Damaged {
		p := strings.TrimPrefix(d.Path, "/")
		if strings.HasPrefix(p, "media/") {
			mediaDamaged = true
			continue
		}
		for dir, title := range byDir {
			if (p == dir || strings.HasPrefix(p, dir+"/")) && !seen[title] {
				seen[title] = true
				out = append(out, title)
			}
		}
	}
	sort.Strings(out)
	if mediaDamaged {
		out = append(out, "(media files: the photos or videos of some messages)")
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
