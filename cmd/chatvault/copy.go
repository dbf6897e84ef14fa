package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/progress"
	"github.com/chatvault/chatvault/vault"
)

func newCopyCommand(g *globals) *cobra.Command {
	var from, to string
	var asJSON bool
	s := &secretOptions{}
	c := &cobra.Command{
		Use:   "copy --from VAULT --to VAULT",
		Short: "Copy every snapshot of one vault into another",
		Long: `Copy the snapshots of one vault into another initialised vault, so a second place holds the whole
history: times, devices and contents stay as they were. Copying again adds only what is new.
The two vaults may have different passwords: you are asked for each (a password given with
CHATVAULT_PASSWORD or --password-file is tried on both).` + vaultExitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			fr, err := g.resolveVault(from)
			if err != nil {
				return err
			}
			tr, err := g.resolveVault(to)
			if err != nil {
				return err
			}
			var remembered string
			src, err := g.openVault(ctx, fr, s, true, &remembered)
			if err != nil {
				return err
			}
			defer src.Close(context.WithoutCancel(ctx))
			dst, err := g.openVault(ctx, tr, s, false, &remembered)
			if err != nil {
				return err
			}
			defer dst.Close(context.WithoutCancel(ctx))
			bar := progress.New(-1, "copy", progress.Bytes)
			rep, err := vault.Copy(ctx, src, dst, vault.CopyOptions{Uncompressed: []string{"media"}, Progress: func(p vault.Progress) { bar.Set(p.BytesRead) }})
			bar.Finish()
			if err != nil {
				return vaultError(tr, err)
			}
			if asJSON {
				return printJSON(g.stdout, rep)
			}
			fmt.Fprintf(g.stdout, "Copied %d snapshots from %s to %s (%d were there already), %s uploaded.\n",
				len(rep.Copied), fr.label(), tr.label(), rep.Skipped, formatBytes(rep.UploadedBytes))
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "vault to copy from")
	c.Flags().StringVar(&to, "to", "", "vault to copy to")
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	s.addFlags(c.Flags())
	c.MarkFlagRequired("from")
	c.MarkFlagRequired("to")
	return c
}
