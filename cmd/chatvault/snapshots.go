package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/vault"
)

func newSnapshotsCommand(g *globals) *cobra.Command {
	var from []string
	var asJSON bool
	s := &secretOptions{}
	c := &cobra.Command{
		Use:   "snapshots",
		Short: "List the backups in every vault (or --from one)",
		Long: `List the snapshots (backups) in every configured vault, or in those named with --from (a name or
a destination). Each device that backs up into a vault is its own source, shown as user@host.` + vaultExitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSnapshots(cmd.Context(), g, from, s, asJSON)
		},
	}
	c.Flags().StringArrayVar(&from, "from", nil, "vault name or destination (repeatable; default: every configured vault)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	s.addFlags(c.Flags())
	return c
}

type vaultSnapshots struct {
	Vault     string               `json:"vault"`
	Snapshots []vault.SnapshotInfo `json:"snapshots"`
}

func runSnapshots(ctx context.Context, g *globals, from []string, s *secretOptions, asJSON bool) error {
	refs, err := g.targetVaults(from)
	if err != nil {
		return err
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	var out []vaultSnapshots
	var remembered string
	for _, r := range refs {
		v, err := g.openVault(ctx, r, s, true, &remembered)
		if err != nil {
			return err
		}
		snaps, err := v.Snapshots(ctx, vault.SnapshotFilter{})
		v.Close(ctx)
		if err != nil {
			return vaultError(r, err)
		}
		sort.Slice(snaps, func(i, j int) bool { return snaps[i].StartTime.Before(snaps[j].StartTime) })
		if snaps == nil {
			snaps = []vault.SnapshotInfo{}
		}
		out = append(out, vaultSnapshots{Vault: r.name, Snapshots: snaps})
	}
	if asJSON {
		return printJSON(g.stdout, out)
	}
	for i, vs := range out {
		if i > 0 {
			fmt.Fprintln(g.stdout)
		}
		fmt.Fprintf(g.stdout, "Vault %s: %s\n", vs.Vault, countOf(len(vs.Snapshots), "snapshot"))
		if len(vs.Snapshots) == 0 {
			continue
		}
		tw := newTable(g.stdout)
		fmt.Fprintln(tw, "ID\tTIME\tDEVICE\tKIND\tSIZE\tCONTENT")
		for _, sn := range vs.Snapshots {
			kind := sn.Tags["kind"]
			if kind == "" {
				kind = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s@%s\t%s\t%s\t%s\n", shortID(sn.ID), formatTime(sn.StartTime, loc), sn.Source.User, sn.Source.Host,
				kind, formatBytes(sn.TotalBytes), sanitizeTerminal(sn.Description))
		}
		tw.Flush()
	}
	return nil
}

// snapshotSource reads a dump out of a vault snapshot, for restore and the viewer.
type snapshotSource struct {
	r *vault.SnapshotReader
}

func (s snapshotSource) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	rc, _, err := s.r.Open(ctx, p)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return rc, err
}

// List names the entries of a folder in the snapshot.
func (s snapshotSource) List(ctx context.Context, dir string) ([]string, error) {
	entries, err := s.r.ReadDir(ctx, dir)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", dir, fs.ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name
	}
	return names, nil
}

// pickSnapshot resolves --snapshot (an ID, an ID prefix, or "latest"). "latest" is the newest
// complete full backup; when the vault holds several archives' backups, the user must choose.
func pickSnapshot(ctx context.Context, v *vault.Vault, r vaultRef, id string) (vault.SnapshotInfo, error) {
	snaps, err := v.Snapshots(ctx, vault.SnapshotFilter{})
	if err != nil {
		return vault.SnapshotInfo{}, vaultError(r, err)
	}
	if id != "" && id != "latest" {
		var found []vault.SnapshotInfo
		for _, s := range snaps {
			if s.ID == id || len(id) >= 6 && len(s.ID) > len(id) && s.ID[:len(id)] == id {
				found = append(found, s)
			}
		}
		switch len(found) {
		case 0:
			return vault.SnapshotInfo{}, withCode(fmt.Errorf("vault %s has no snapshot %q: `chatvault snapshots --from %s` lists them", r.label(), id, r.name), exitNoVault)
		case 1:
			return found[0], nil
		}
		return vault.SnapshotInfo{}, usagef(fmt.Sprintf("snapshot %q is ambiguous: give more of its ID", id))
	}
	var best vault.SnapshotInfo
	archives := map[string]bool{}
	for _, s := range snaps {
		if s.Tags["kind"] == "partial" {
			continue
		}
		archives[s.Tags["archive"]] = true
		if best.ID == "" || s.StartTime.After(best.StartTime) {
			best = s
		}
	}
	if best.ID == "" {
		return best, withCode(fmt.Errorf("vault %s holds no complete backup yet", r.label()), exitNoVault)
	}
	if len(archives) > 1 {
		return best, usagef(fmt.Sprintf("vault %s holds backups of %d different archives: choose one with --snapshot ID (see `chatvault snapshots --from %s`)", r.label(), len(archives), r.name))
	}
	return best, nil
}
