package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/vault"
)

type doctorOptions struct {
	fix       bool
	readMedia bool
	noVaults  bool
	json      bool
	secrets   secretOptions
}

func newDoctorCommand(g *globals) *cobra.Command {
	o := &doctorOptions{}
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Check the archive and every vault, and say how to fix what is wrong",
		Long: `Check the archive: the database (PRAGMA integrity_check, which reads every page; the time it
took is shown), media files it refers to that are missing, media files nothing refers to, what
dead imports left behind, and the search index. --read-media also reads every media file
and compares it with its SHA-256 name. Then each configured vault: it opens, and its latest
snapshot is complete at the destination (its structure; verify --read-data reads every byte).

Each finding says how to fix it. --fix does what is safe: removes what dead imports left and
media files nothing refers to, forgets media files that are gone (so a restore puts them back),
and rebuilds the search index. It never deletes a message.

EXIT STATUS
  0   healthy (after --fix: everything found was repaired)
  1   the check could not run
  2   wrong flags or arguments
  11  --fix: the archive is busy with another chatvault process
  15  damage remains (each finding is listed, with how to fix it)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd.Context(), g, o) },
	}
	c.Flags().BoolVar(&o.fix, "fix", false, "repair what can be repaired safely")
	c.Flags().BoolVar(&o.readMedia, "read-media", false, "read every media file and check it against its name")
	c.Flags().BoolVar(&o.noVaults, "no-vaults", false, "check the archive only")
	c.Flags().BoolVar(&o.json, "json", false, "print the findings as JSON")
	o.secrets.addFlags(c.Flags())
	return c
}

type doctorResult struct {
	Archive *archive.Health `json:"archive"`
	Fixed   []string        `json:"fixed,omitempty"`
	Vaults  []vaultHealth   `json:"vaults"`
	OK      bool            `json:"ok"`
	Error   *failure        `json:"error,omitempty"` // set with exit status 15, as every --json failure is
}

type vaultHealth struct {
	Name     string   `json:"name"`
	Snapshot string   `json:"snapshot,omitempty"`
	Problem  string   `json:"problem,omitempty"`
	Damaged  []string `json:"damaged,omitempty"`
}

func runDoctor(ctx context.Context, g *globals, o *doctorOptions) error {
	p, err := g.archivePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); os.IsNotExist(err) {
		return fmt.Errorf("no archive at %s yet: run `chatvault import FILE` first (or pass --archive)", p)
	}
	copts := archive.CheckOptions{ReadMedia: o.readMedia}
	h, err := archive.Check(ctx, p, copts)
	if err != nil {
		return err
	}
	res := doctorResult{Archive: h, Vaults: []vaultHealth{}}
	if o.fix && !h.OK() {
		if res.Fixed, err = doctorFix(ctx, p, h); err != nil {
			return err
		}
		if res.Archive, err = archive.Check(ctx, p, copts); err != nil {
			return err
		}
	}
	res.OK = res.Archive.OK()
	if !o.noVaults {
		c, err := g.config()
		if err != nil {
			return err
		}
		var remembered string
		for _, name := range c.VaultNames() {
			vh := checkVault(ctx, g, o, name, &remembered)
			res.OK = res.OK && vh.Problem == "" && len(vh.Damaged) == 0
			res.Vaults = append(res.Vaults, vh)
		}
	}
	if o.json {
		if !res.OK {
			res.Error = damageFailure(g, "doctor found problems: each is in \"archive\" or \"vaults\", with how to fix it")
		}
		err = printJSON(g.stdout, res)
	} else {
		printDoctor(g, res)
	}
	if err != nil {
		return err
	}
	if !res.OK {
		return &silentError{exitDamaged}
	}
	return nil
}

// doctorFix repairs what the check found and can be repaired safely, and says what it did.
func doctorFix(ctx context.Context, p string, h *archive.Health) ([]string, error) {
	var fixed []string
	a, err := archive.Open(ctx, p) // removes what dead processes left; replaces an unreadable index
	if err != nil {
		return nil, err
	}
	defer a.Close()
	if n := len(h.Leftovers); n > 0 {
		fixed = append(fixed, fmt.Sprintf("removed %d leftover folders of dead imports", n))
	}
	orphans, err := a.RemoveOrphanMedia(ctx)
	if err != nil {
		return fixed, err
	}
	if len(orphans) > 0 {
		var size int64
		for _, o := range orphans {
			size += o.Size
		}
		fixed = append(fixed, fmt.Sprintf("removed %d media files nothing refers to (%s)", len(orphans), formatBytes(size)))
	}
	if len(h.Missing) > 0 {
		n, err := a.ForgetMissingMedia(ctx)
		if err != nil {
			return fixed, err
		}
		if n > 0 {
			fixed = append(fixed, fmt.Sprintf("forgot %d missing media files, so a restore stores them again", n))
		}
	}
	if !h.Index.OK() {
		if err := a.RebuildSearchIndex(ctx); err != nil {
			return fixed, err
		}
		fixed = append(fixed, "rebuilt the search index from archive.db")
	}
	return fixed, nil
}

// checkVault opens a configured vault and checks the structure of its latest snapshot.
func checkVault(ctx context.Context, g *globals, o *doctorOptions, name string, remembered *string) vaultHealth {
	vh := vaultHealth{Name: name}
	r, err := g.resolveVault(name)
	if err != nil {
		vh.Problem = oneLine(err)
		return vh
	}
	v, err := g.openVault(ctx, r, &o.secrets, true, remembered)
	if err != nil {
		vh.Problem = oneLine(err)
		return vh
	}
	defer v.Close(context.WithoutCancel(ctx))
	snap, err := pickSnapshot(ctx, v, r, "latest")
	if err != nil {
		vh.Problem = oneLine(err)
		return vh
	}
	vh.Snapshot = snap.ID
	rep, err := v.Verify(ctx, vault.VerifyOptions{Snapshots: []string{snap.ID}})
	if err != nil {
		vh.Problem = oneLine(vaultError(r, err))
		return vh
	}
	for _, sc := range rep.Snapshots {
		for _, d := range sc.Damaged {
			vh.Damaged = append(vh.Damaged, d.Path+": "+d.Error)
		}
	}
	return vh
}

func printDoctor(g *globals, res doctorResult) {
	w := g.stdout
	h := res.Archive
	loc, _ := g.location()
	fmt.Fprintf(w, "Archive %s: %s media files.\n", h.Dir, formatCount(int64(h.MediaFiles)))
	for _, f := range res.Fixed {
		fmt.Fprintf(w, "  FIXED    %s\n", f)
	}
	if len(h.Integrity) == 0 {
		fmt.Fprintf(w, "  ok       database integrity (PRAGMA integrity_check, %s)\n", h.IntegrityTook.Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "  DAMAGED  database integrity: %s\n", sanitizeTerminal(h.Integrity[0]))
		fmt.Fprintf(w, "           Fix: restore from a backup into a new archive: chatvault restore --from VAULT --archive NEW-FOLDER\n")
	}
	for _, m := range h.Missing {
		fmt.Fprintf(w, "  MISSING  media file %s (%s) is not in media/;", m.SHA256[:12], formatBytes(m.Size))
		for i, in := range m.In {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "%s %d message(s) of %q lose it (first %s)", sep, in.Messages, sanitizeTerminal(in.Title),
				formatTime(time.UnixMilli(in.FirstTS), loc))
		}
		fmt.Fprintln(w)
		if len(m.In) > 0 {
			fmt.Fprintf(w, "           Fix: a backup may have it: chatvault restore --from VAULT --chat %q --into-current", sanitizeTerminal(m.In[0].Title))
			if !hasFix(res.Fixed, "forgot") {
				fmt.Fprintf(w, " (after chatvault doctor --fix)")
			}
			fmt.Fprintln(w)
		}
	}
	for _, o := range h.Orphans {
		fmt.Fprintf(w, "  ORPHAN   %s (%s): no message refers to it\n", o.Path, formatBytes(o.Size))
		fmt.Fprintf(w, "           Fix: chatvault doctor --fix removes it\n")
	}
	for _, m := range h.Mismatched {
		fmt.Fprintf(w, "  DAMAGED  %s: its bytes no longer match its SHA-256 name\n", m)
		fmt.Fprintf(w, "           Fix: delete it, then chatvault doctor --fix, then restore its conversation from a backup\n")
	}
	for _, l := range h.Leftovers {
		fmt.Fprintf(w, "  LEFTOVER %s: %d files (%s) of an import that died\n", l.Path, l.Files, formatBytes(l.Bytes))
		fmt.Fprintf(w, "           Fix: chatvault doctor --fix (or the next import) removes it\n")
	}
	switch ih := h.Index; ih.State {
	case "ok":
		fmt.Fprintf(w, "  ok       search index (through message %d)\n", ih.Watermark)
	case "behind", "missing":
		fmt.Fprintf(w, "  BEHIND   search index %s (holds messages through %d of %d)\n", ih.State, ih.Watermark, ih.MaxID)
		fmt.Fprintf(w, "           Fix: chatvault doctor --fix (or the next search) catches it up\n")
	default:
		detail := ih.State
		if ih.Detail != "" {
			detail += ": " + ih.Detail
		}
		fmt.Fprintf(w, "  DAMAGED  search index %s (%s)\n", filepath.Join(h.Dir, "index.db"), sanitizeTerminal(detail))
		fmt.Fprintf(w, "           Fix: chatvault doctor --fix rebuilds it from archive.db\n")
	}
	for _, v := range res.Vaults {
		switch {
		case v.Problem != "":
			fmt.Fprintf(w, "Vault %s: %s\n", v.Name, sanitizeTerminal(v.Problem))
		case len(v.Damaged) > 0:
			fmt.Fprintf(w, "Vault %s: latest snapshot %s DAMAGED: %d files\n", v.Name, shortID(v.Snapshot), len(v.Damaged))
			fmt.Fprintf(w, "           Fix: chatvault verify %s --repair\n", v.Name)
		default:
			fmt.Fprintf(w, "Vault %s: latest snapshot %s complete (structure checked; verify --read-data reads every byte)\n", v.Name, shortID(v.Snapshot))
		}
	}
	if res.OK {
		fmt.Fprintln(w, "Healthy.")
	} else {
		fmt.Fprintln(w, "Problems remain (see above).")
	}
}

func hasFix(fixed []string, prefix string) bool {
	for _, f := range fixed {
		if len(f) >= len(prefix) && f[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}
