package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/vault"
)

func newPasswdCommand(g *globals) *cobra.Command {
	s := &secretOptions{}
	var newKey bool
	var newFile string
	c := &cobra.Command{
		Use:   "passwd VAULT",
		Short: "Change a vault's password (or make a new recovery key)",
		Long: `Change the password of a vault. The recovery key keeps working, and your backups are not
rewritten: the password only unlocks the vault's key.

Forgot the password? Give the recovery key (--recovery-key - to be asked) and choose a new one.
--new-recovery-key replaces the recovery key (the old one stops working) and shows the new one once.

Note: a device that opened the vault in the last few minutes may still open it with the old
password until its cached copy of the key expires (about 15 minutes).` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			r, err := g.resolveVault(args[0])
			if err != nil {
				return err
			}
			if newKey {
				v, err := g.openVault(ctx, r, s, false, nil)
				if err != nil {
					return err
				}
				defer v.Close(ctx)
				key, err := v.NewRecoveryKey(ctx)
				if err != nil {
					return vaultError(r, err)
				}
				fmt.Fprintf(g.stdout, "New RECOVERY KEY for %s (the old one no longer works):\n\n    %s\n\nWrite it down and keep it safe.\n", r.label(), key)
				return nil
			}
			if key, ok, err := s.useRecoveryKey(); err != nil {
				return err
			} else if ok {
				pw, err := changedPassword("vault "+r.name, newFile)
				if err != nil {
					return err
				}
				if err := vault.ResetPasswordWithRecoveryKey(ctx, r.dest, key, pw, g.vaultOpenOptions(false)); err != nil {
					return vaultError(r, err)
				}
				fmt.Fprintf(g.stdout, "New password set for %s with the recovery key.\n", r.label())
				return nil
			}
			v, err := g.openVault(ctx, r, s, false, nil)
			if err != nil {
				return err
			}
			defer v.Close(ctx)
			pw, err := changedPassword("vault "+r.name, newFile)
			if err != nil {
				return err
			}
			if err := v.ChangePassword(ctx, pw); err != nil {
				return vaultError(r, err)
			}
			fmt.Fprintf(g.stdout, "Password changed for %s. The recovery key still works.\n", r.label())
			return nil
		},
	}
	s.addFlags(c.Flags())
	c.Flags().BoolVar(&newKey, "new-recovery-key", false, "replace the recovery key and show the new one")
	c.Flags().StringVar(&newFile, "new-password-file", "", "read the new password from this file instead of asking")
	return c
}
