package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/vault"
)

func newInitCommand(g *globals) *cobra.Command {
	s := &secretOptions{}
	c := &cobra.Command{
		Use:   "init VAULT",
		Short: "Create a vault at a destination and show its recovery key",
		Long: `Create an encrypted vault at a configured destination (see ` + "`chatvault vault add`" + `) or at a
destination given directly. You choose a password; chatvault also shows a recovery key ONCE.
Write the recovery key down and keep it apart from your devices: with the destination and either
the password or the recovery key, any machine can restore your chats. Without both, nobody can,
not even us.

The password only unlocks a random key stored at the destination, so changing it later
(` + "`chatvault passwd`" + `) rewrites one small file, not your backups.` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			r, err := g.resolveVault(args[0])
			if err != nil {
				return err
			}
			// Before asking for a password: a vault there already is to be used, not made again.
			if found, err := vault.Exists(ctx, r.dest); err == nil && found {
				hint := "`chatvault vault add NAME " + r.name + "` connects to it"
				if r.cfg != nil {
					hint = "back up to it with `chatvault backup --to " + r.name + "`"
				}
				return fmt.Errorf("vault %s: %w: nothing to create; %s", r.label(), vault.ErrAlreadyInitialized, hint)
			}
			pw, err := s.initialPassword("vault "+r.name, vaultSecretsOf(r.name, r.cfg))
			if err != nil {
				return err
			}
			key, err := vault.Init(ctx, r.dest, pw, vault.InitOptions{OpenOptions: g.vaultOpenOptions(false)})
			if err != nil {
				return vaultError(r, err)
			}
			fmt.Fprintf(g.stdout, `Created vault %s.

RECOVERY KEY (shown only now; write it down and keep it safe, apart from this computer):

    %s

With it you can restore, or set a new password, if you forget the password.
Next: chatvault backup --to %s
`, r.label(), key, r.name)
			return nil
		},
	}
	s.addFlags(c.Flags())
	return c
}

// vaultExitHelp lists the exit statuses of commands that open vaults.
const vaultExitHelp = `

EXIT STATUS
  0   success
  1   failure
  2   wrong flags or arguments
  10  no vault there (or no such vault configured)
  11  the archive or vault is busy with another chatvault process
  12  wrong password or recovery key
  13  the destination cannot be reached
  14  not enough space at the destination
  15  damage found (verify, restore), or the vault is damaged at the destination
  130 interrupted (the vault stays valid)`
