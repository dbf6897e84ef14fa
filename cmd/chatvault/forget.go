package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/vault"
)

type forgetOptions struct {
	keep    vault.Retention
	prune   bool
	dryRun  bool
	json    bool
	secrets secretOptions
}

func newForgetCommand(g *globals) *cobra.Command {
	o := &forgetOptions{}
	c := &cobra.Command{
		Use:   "forget VAULT",
		Short: "Remove old snapshots by a retention rule",
		Long: `Remove old snapshots from a vault, keeping those the rule says: the newest of each of the last N
days, weeks, months and years. Without --keep-* flags the vault's own rule is used (by default the
last 10, 7 daily, 4 weekly, 12 monthly, 3 annual; change it with ` + "`chatvault vault set VAULT --keep-...`" + `).
Forgetting removes snapshots, not data
other snapshots still use; --prune then frees the space (kopia waits about a day before
deleting data, so that a backup running on another device at the same moment is never harmed).

Example:
  chatvault forget usb --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --prune` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runForget(cmd.Context(), g, o, args[0], cmd.Flags().Changed)
		},
	}
	f := c.Flags()
	f.IntVar(&o.keep.KeepLatest, "keep-last", 0, "keep the newest N snapshots")
	f.IntVar(&o.keep.KeepDaily, "keep-daily", 0, "keep one snapshot a day for the last N days")
	f.IntVar(&o.keep.KeepWeekly, "keep-weekly", 0, "keep one a week for the last N weeks")
	f.IntVar(&o.keep.KeepMonthly, "keep-monthly", 0, "keep one a month for the last N months")
	f.IntVar(&o.keep.KeepAnnual, "keep-yearly", 0, "keep one a year for the last N years")
	f.BoolVar(&o.prune, "prune", false, "then free the space of forgotten snapshots")
	f.BoolVar(&o.dryRun, "dry-run", false, "say what would be removed, remove nothing")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	o.secrets.addFlags(f)
	return c
}

func runForget(ctx context.Context, g *globals, o *forgetOptions, name string, changed func(string) bool) error {
	r, err := g.resolveVault(name)
	if err != nil {
		return err
	}
	v, err := g.openVault(ctx, r, &o.secrets, false, nil)
	if err != nil {
		return err
	}
	defer v.Close(context.WithoutCancel(ctx))
	keep := o.keep
	custom := false
	for _, f := range []string{"keep-last", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"} {
		custom = custom || changed(f)
	}
	if !custom {
		if keep, err = v.Retention(ctx); err != nil {
			return vaultError(r, err)
		}
	}
	rep, err := v.Forget(ctx, keep, vault.ForgetOptions{DryRun: o.dryRun, Prune: o.prune && !o.dryRun})
	if err != nil {
		return vaultError(r, err)
	}
	if o.json {
		return printJSON(g.stdout, rep)
	}
	loc, _ := g.location()
	verb := "Forgot"
	if o.dryRun {
		verb = "Would forget"
	}
	fmt.Fprintf(g.stdout, "%s %s in %s, kept %d.\n", verb, countOf(len(rep.Forgotten), "snapshot"), r.label(), len(rep.Kept))
	for _, s := range rep.Forgotten {
		fmt.Fprintf(g.stdout, "  - %s  %s\n", shortID(s.ID), formatTime(s.StartTime, loc))
	}
	if rep.Pruned {
		fmt.Fprintln(g.stdout, "Pruned: data no snapshot uses any more is freed once no backup can still be writing it (about a day).")
	}
	return nil
}
