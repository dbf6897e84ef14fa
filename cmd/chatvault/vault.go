package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/vault"
)

func newVaultCommand(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "vault",
		Short: "Add, list and remove backup destinations",
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
(written readable by you only). They never go into backups, logs or --json output.`,
	}
	c.AddCommand(newVaultAddCommand(g), newVaultListCommand(g), newVaultRemoveCommand(g))
	return c
}

func newVaultAddCommand(g *globals) *cobra.Command {
	var options []string
	var passwordCommand, passwordFile string
	c := &cobra.Command{
		Use:   "add NAME DESTINATION",
		Short: "Remember a backup destination under a name",
		Long: `Remember a backup destination under a short name. Then create the vault there with
` + "`chatvault init NAME`" + ` (once), and back up with ` + "`chatvault backup`" + `.

Examples:
  chatvault vault add usb /media/me/USB/chatvault
  chatvault vault add cloud "s3://my-bucket/chats?endpoint=s3.eu-central-1.amazonaws.com"
  chatvault vault add nas sftp://me@nas/backups/chatvault --option key-file=~/.ssh/id_ed25519

Settings by destination (--option KEY=VALUE; anything else is refused):
  s3       endpoint, region, tls, tls-verify, access-key-id, secret-access-key, session-token
  sftp     username, port, key-file, known-hosts, password
  webdav   username, password, fingerprint
  gcs      credentials-file
  azure    account, key, sas-token, domain
  b2       key-id, key
  rclone   rclone-exe`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, dest := args[0], args[1]
			if strings.ContainsAny(name, "/\\:") || strings.TrimSpace(name) == "" {
				return usagef("a vault name is a short word such as usb or cloud, without / or :")
			}
			opts := map[string]string{}
			for _, o := range options {
				k, v, ok := strings.Cut(o, "=")
				if !ok || k == "" {
					return usagef(fmt.Sprintf("--option %q: use KEY=VALUE", o))
				}
				opts[k] = v
			}
			d, err := vault.ParseDestination(config.ExpandHome(dest), opts)
			if err != nil {
				return usagef(err.Error())
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			if c.Vaults == nil {
				c.Vaults = map[string]*config.Vault{}
			}
			if _, exists := c.Vaults[name]; exists {
				return usagef(fmt.Sprintf("a vault named %q exists already: remove it first or pick another name", name))
			}
			if len(opts) == 0 {
				opts = nil
			}
			if local, ok := d.LocalPath(); ok && !strings.HasPrefix(dest, "~") {
				dest = local // a relative folder would mean another place from another working directory
			}
			c.Vaults[name] = &config.Vault{Destination: dest, Options: opts, PasswordCommand: passwordCommand, PasswordFile: passwordFile}
			if err := c.Save(g.configPath()); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "Added vault %s at %s.\nNext: chatvault init %s   (once, to create it and get your recovery key)\n", name, d, name)
			return nil
		},
	}
	c.Flags().StringArrayVar(&options, "option", nil, "destination setting KEY=VALUE (repeatable), e.g. access-key-id=..., key-file=...")
	c.Flags().StringVar(&passwordCommand, "password-command", "", "command that prints this vault's password (for unattended backups)")
	c.Flags().StringVar(&passwordFile, "password-file", "", "file holding this vault's password (for unattended backups)")
	return c
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
			}
			rows := []row{}
			for _, n := range c.VaultNames() {
				d := c.Vaults[n].Destination
				if pd, err := vault.ParseDestination(config.ExpandHome(d), c.Vaults[n].Options); err == nil {
					d = pd.String() // the redacted form: no credentials on screen
				}
				rows = append(rows, row{n, d})
			}
			if asJSON {
				return printJSON(g.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(g.stdout, "No vaults yet: chatvault vault add NAME DESTINATION")
				return nil
			}
			tw := newTable(g.stdout)
			fmt.Fprintln(tw, "NAME\tDESTINATION")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\n", r.Name, r.Destination)
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
			if _, ok := c.Vaults[args[0]]; !ok {
				return withCode(fmt.Errorf("no vault named %q", args[0]), exitNoVault)
			}
			delete(c.Vaults, args[0])
			if err := c.Save(g.configPath()); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "Removed vault %s from the settings. The backups at its destination were not touched.\n", args[0])
			return nil
		},
	}
}
