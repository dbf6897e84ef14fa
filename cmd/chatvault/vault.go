package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/keyring"
	"github.com/chatvault/chatvault/vault"
)

func newVaultCommand(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "vault",
		Short: "Add, change, list and remove backup destinations",
		Long: `A vault is an encrypted, versioned, deduplicated backup of the archive at a destination. You
can have several (a USB drive and a cloud bucket, say); ` + "`chatvault backup`" + ` writes to all of them.

DESTINATIONS
  /media/me/USB/chatvault                   a folder: an external drive, a NAS mount
  s3://bucket/prefix?endpoint=host:port     S3 or compatible (MinIO, Ceph, Backblaze S3, versitygw);
                                            keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or
                                            --option access-key-id=... --option secret-access-key=...
  sftp://user@host[:port]/path              SSH; key from CHATVAULT_SFTP_KEYFILE or --option key-file=...,
                                            --option known-hosts=... (default ~/.ssh/known_hosts)
  webdav://host/path, webdavs://host/path   WebDAV, e.g. Nextcloud or a NAS (WEBDAV_USERNAME / WEBDAV_PASSWORD,
                                            or --option username=... --option password=...; a
                                            self-signed certificate: --option fingerprint=SHA256-HEX)
  gcs://bucket/prefix                       Google Cloud Storage (GOOGLE_APPLICATION_CREDENTIALS)
  azure://container/prefix                  Azure Blob (AZURE_STORAGE_ACCOUNT / AZURE_STORAGE_KEY)
  b2://bucket/prefix                        Backblaze B2 (B2_ACCOUNT_ID / B2_APPLICATION_KEY)
  rclone://remote:path                      anything rclone reaches (needs rclone installed)

Credentials come from the environment or from --option, which stores them in the settings file
(written readable by you only). They never go into backups, logs or --json output.

` + "`chatvault vault set NAME`" + ` changes a vault later: new credentials, a moved destination, where its
password comes from (a file, a command, the OS keyring), and its retention.`,
	}
	c.AddCommand(newVaultAddCommand(g), newVaultSetCommand(g), newVaultListCommand(g), newVaultRemoveCommand(g))
	return c
}

func newVaultAddCommand(g *globals) *cobra.Command {
	var options []string
	var passwordCommand, passwordFile string
	var passwordKeyring bool
	c := &cobra.Command{
		Use:   "add NAME DESTINATION",
		Short: "Remember a backup destination under a name (connecting to a vault already there)",
		Long: `Remember a backup destination under a short name. Then create the vault there with
` + "`chatvault init NAME`" + ` (once), and back up with ` + "`chatvault backup`" + `.

If the destination already holds a chatvault vault (made on another machine, say), add connects
to it instead: it asks for the vault's password (or takes it from the usual sources), checks it
opens the vault, and from then on ` + "`chatvault backup`" + ` backs up there. No init.

A name that is taken is refused: change that vault with ` + "`chatvault vault set`" + `, or forget it with
` + "`chatvault vault remove`" + ` first.

Examples:
  chatvault vault add usb /media/me/USB/chatvault
  chatvault vault add cloud "s3://my-bucket/chats?endpoint=s3.eu-central-1.amazonaws.com"
  chatvault vault add nas sftp://me@nas/backups/chatvault --option key-file=~/.ssh/id_ed25519

Settings by destination (--option KEY=VALUE; anything else is refused):
` + destinationSettingsHelp + `

The vault's password source, for unattended backups (at most one; see ` + "`chatvault vault set --help`" + `):
--password-file FILE, --password-command CMD, or --password-keyring.` + vaultExitHelp,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := passwordSource{file: passwordFile, command: passwordCommand, keyring: passwordKeyring}
			return runVaultAdd(cmd.Context(), g, args[0], args[1], options, src)
		},
	}
	c.Flags().StringArrayVar(&options, "option", nil, "destination setting KEY=VALUE (repeatable), e.g. access-key-id=..., key-file=...")
	c.Flags().StringVar(&passwordCommand, "password-command", "", "command that prints this vault's password (for unattended backups)")
	c.Flags().StringVar(&passwordFile, "password-file", "", "file holding this vault's password (for unattended backups)")
	c.Flags().BoolVar(&passwordKeyring, "password-keyring", false, "keep this vault's password in the OS keyring (asked once, now)")
	return c
}

// destinationSettingsHelp lists the --option keys each kind of destination reads.
const destinationSettingsHelp = `  s3       endpoint, region, tls, tls-verify, access-key-id, secret-access-key, session-token
  sftp     username, port, key-file, known-hosts, password
  webdav   username, password, fingerprint
  gcs      credentials-file
  azure    account, key, sas-token, domain
  b2       key-id, key
  rclone   rclone-exe`

func runVaultAdd(ctx context.Context, g *globals, name, dest string, options []string, src passwordSource) error {
	if strings.ContainsAny(name, "/\\:") || strings.TrimSpace(name) == "" {
		return usagef("a vault name is a short word such as usb or cloud, without / or :")
	}
	if err := src.check(); err != nil {
		return err
	}
	opts, err := parseOptions(options, nil)
	if err != nil {
		return err
	}
	d, err := vault.ParseDestination(config.ExpandHome(dest), opts)
	if err != nil {
		return usagef(err.Error())
	}
	c, err := g.config()
	if err != nil {
		return err
	}
	if old, exists := c.Vaults[name]; exists {
		return usagef(fmt.Sprintf("a vault named %q exists already (at %s): change its settings with `chatvault vault set %s`, or forget it with `chatvault vault remove %s` first",
			name, redactedDestination(old), name, name))
	}
	if c.Vaults == nil {
		c.Vaults = map[string]*config.Vault{}
	}
	if len(opts) == 0 {
		opts = nil
	}
	if local, ok := d.LocalPath(); ok && !strings.HasPrefix(dest, "~") {
		dest = local // a relative folder would mean another place from another working directory
	}
	for _, other := range c.VaultNames() {
		if config.ExpandHome(c.Vaults[other].Destination) == config.ExpandHome(dest) {
			// Two names for one vault would back it up twice each time.
			return usagef(fmt.Sprintf("the vault at %s is configured already as %q: use that name, or `chatvault vault remove %s` and add it again as %s",
				d, other, other, name))
		}
	}
	cfg := &config.Vault{Destination: dest, Options: opts}
	src.apply(cfg)
	r := vaultRef{name: name, cfg: cfg, dest: d}

	found, probeErr := vault.Exists(ctx, d)
	var connected string
	if found {
		// As kopia's "repository connect": the password must open it before it is remembered.
		// With --password-keyring the keyring is empty yet: the password is asked for, then kept.
		ask := *cfg
		ask.PasswordKeyring = false
		var pw string
		v, err := g.openVault(ctx, vaultRef{name: name, cfg: &ask, dest: d}, &secretOptions{}, true, &pw)
		if err != nil {
			return err
		}
		connected, err = describeVault(ctx, g, r, v)
		v.Close(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		if src.keyring {
			if pw == "" {
				return usagef("--password-keyring keeps the password, not the recovery key: give the password")
			}
			if err := keyring.Set(name, pw); err != nil {
				return keyringError(name, err)
			}
		}
	} else if src.keyring {
		return usagef(fmt.Sprintf("there is no vault at %s yet to check a password against: add it without --password-keyring, create it with `chatvault init %s`, then `chatvault vault set %s --password-keyring`", d, name, name))
	}
	c.Vaults[name] = cfg
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	switch {
	case found:
		fmt.Fprintf(g.stdout, "Connected vault %s to the vault already at %s (%s).\nNext: chatvault backup --to %s   (no init: the vault is there)\n", name, d, connected, name)
	case probeErr != nil:
		fmt.Fprintf(g.stdout, "Added vault %s at %s, but could not look at it now: %s.\nWhen it is reachable: chatvault init %s   (to create it), or chatvault backup if it holds a vault already\n", name, d, oneLine(probeErr), name)
	default:
		fmt.Fprintf(g.stdout, "Added vault %s at %s.\nNext: chatvault init %s   (once, to create it and get your recovery key)\n", name, d, name)
	}
	return nil
}

// describeVault says what an open vault holds, e.g. "3 snapshots, the newest 2024-05-01 10:00".
func describeVault(ctx context.Context, g *globals, r vaultRef, v *vault.Vault) (string, error) {
	snaps, err := v.Snapshots(ctx, vault.SnapshotFilter{})
	if err != nil {
		return "", vaultError(r, err)
	}
	if len(snaps) == 0 {
		return "no snapshots yet", nil
	}
	loc, _ := g.location()
	return fmt.Sprintf("%s, the newest %s", countOf(len(snaps), "snapshot"), formatTime(snaps[len(snaps)-1].StartTime, loc)), nil
}

// parseOptions reads --option KEY=VALUE into a copy of base; KEY= (no value) removes KEY.
func parseOptions(options []string, base map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for _, o := range options {
		k, v, ok := strings.Cut(o, "=")
		if !ok || k == "" {
			return nil, usagef(fmt.Sprintf("--option %q: use KEY=VALUE (KEY= removes a setting)", o))
		}
		if v == "" {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out, nil
}

// redactedDestination is a configured vault's destination without credentials, for messages.
func redactedDestination(v *config.Vault) string {
	if d, err := vault.ParseDestination(config.ExpandHome(v.Destination), v.Options); err == nil {
		return d.String()
	}
	return v.Destination
}

func newVaultListCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the configured vaults",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			type row struct {
				Name        string `json:"name"`
				Destination string `json:"destination"`
				Password    string `json:"password"`
			}
			rows := []row{}
			for _, n := range c.VaultNames() {
				// The redacted form: no credentials on screen.
				rows = append(rows, row{n, redactedDestination(c.Vaults[n]), describeSource(c.Vaults[n])})
			}
			if asJSON {
				return printJSON(g.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(g.stdout, "No vaults yet: chatvault vault add NAME DESTINATION")
				return nil
			}
			tw := newTable(g.stdout)
			fmt.Fprintln(tw, "NAME\tDESTINATION\tPASSWORD")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Destination, r.Password)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func newVaultRemoveCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Forget a vault's settings (the backups at the destination stay)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			v, ok := c.Vaults[args[0]]
			if !ok {
				return withCode(fmt.Errorf("no vault named %q", args[0]), exitNoVault)
			}
			delete(c.Vaults, args[0])
			if err := c.Save(g.configPath()); err != nil {
				return err
			}
			if err := vault.ForgetKey(config.KeptKeyFile(args[0])); err != nil {
				fmt.Fprintf(g.stderr, "chatvault: warning: the vault's kept key stays on this machine: %v\n", err)
			}
			if v.PasswordKeyring {
				if err := keyring.Delete(args[0]); err != nil {
					fmt.Fprintf(g.stderr, "chatvault: warning: the vault's password stays in the keyring: %v\n", err)
				}
			}
			fmt.Fprintf(g.stdout, "Removed vault %s from the settings. The backups at its destination were not touched.\n", args[0])
			return nil
		},
	}
}
