package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/keyring"
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

The current password comes from the usual sources (--password-file, --password-command,
CHATVAULT_PASSWORD, CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND, the vault's own source) or
is asked for; the new one from --new-password-file or CHATVAULT_NEW_PASSWORD, or is asked for twice.
A vault whose own source is the keyring gets the new password there; one whose source is a file or
a command is reminded to update it.

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
				v, err := g.openVaultWith(ctx, r, s, false, nil, refreshingKeptKey(r))
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
				opts := g.vaultOpenOptions(false)
				if kf := keptKeyFile(r); kf != "" {
					opts.KeyFile = kf // this device knows the new password: its kept key stays valid
				}
				if err := vault.ResetPasswordWithRecoveryKey(ctx, r.dest, key, pw, opts); err != nil {
					return vaultError(r, err)
				}
				fmt.Fprintf(g.stdout, "New password set for %s with the recovery key.\n", r.label())
				return updateOwnSource(g, r, pw)
			}
			v, err := g.openVaultWith(ctx, r, s, false, nil, refreshingKeptKey(r))
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
			return updateOwnSource(g, r, pw)
		},
	}
	s.addFlags(c.Flags())
	c.Flags().BoolVar(&newKey, "new-recovery-key", false, "replace the recovery key and show the new one")
	c.Flags().StringVar(&newFile, "new-password-file", "", "read the new password from this file instead of asking")
	return c
}

// updateOwnSource keeps the vault's own password source in step with a new password: the keyring
// is written; a file or a command is the user's to change, so they are told.
func updateOwnSource(g *globals, r vaultRef, pw string) error {
	switch {
	case r.cfg == nil:
		return nil
	case r.cfg.PasswordKeyring:
		if err := keyring.Set(r.name, pw); err != nil {
			return keyringError(r.name, err)
		}
		fmt.Fprintln(g.stdout, "The keyring holds the new password.")
	case r.cfg.PasswordFile != "":
		fmt.Fprintf(g.stdout, "Vault %s reads its password from %s: put the new one there.\n", r.name, r.cfg.PasswordFile)
	case r.cfg.PasswordCommand != "":
		fmt.Fprintf(g.stdout, "Vault %s gets its password from the command %s: make it print the new one.\n", r.name, r.cfg.PasswordCommand)
	}
	return nil
}
