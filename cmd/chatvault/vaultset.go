package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/keyring"
	"github.com/chatvault/chatvault/vault"
)

type vaultSetOptions struct {
	destination string
	options     []string
	source      passwordSource
	prompt      bool
	keep        vault.Retention
	keepKey     bool
	secrets     secretOptions
}

// retentionFlags are vault set's --keep-* flags, as forget names them.
var retentionFlags = []string{"keep-last", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"}

func newVaultSetCommand(g *globals) *cobra.Command {
	o := &vaultSetOptions{}
	c := &cobra.Command{
		Use:   "set NAME [--destination DEST] [--option KEY=VALUE]... [--password-...] [--keep-...]",
		Short: "Change a vault's settings: destination, credentials, password source, retention",
		Long: `Change what chatvault knows about a configured vault. Only what you name changes.

DESTINATION AND CREDENTIALS
  --destination DEST     the vault moved (a drive mounted elsewhere, a bucket behind a new endpoint):
                         it must be the same kind of destination, and a vault must be there
  --option KEY=VALUE     set a destination setting, e.g. new credentials; KEY= removes one
` + destinationSettingsHelp + `

The kind of destination (folder, s3, sftp, ...) cannot change: a vault is the files at its
destination. To move backups to another kind, add a new vault, init it, and
` + "`chatvault copy --from OLD --to NEW`" + `.

PASSWORD SOURCE (at most one; an unattended backup needs one)
  --password-file FILE      the password is the first line of FILE (keep it readable by you only)
  --password-command CMD    CMD prints the password, e.g. "pass show chatvault"
  --password-keyring        keep the password in the OS keyring (macOS Keychain, Windows Credential
                            Manager, Secret Service on Linux): asked once, now
  --password-prompt         no source: ask every time
The new source is checked: it must open the vault (when the destination is reachable).
Whatever the vault's source, CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND and
CHATVAULT_PASSWORD, and a command's --password-file/--password-command, come first.

KEPT KEY
  --keep-key=false          backups no longer keep the vault's unlocked key on this machine (the
                            one kept is deleted): each backup then needs the password
  --keep-key                keep it again (the default): after one backup with the password, the
                            next ones open the vault with the kept key, as long as nobody changes
                            the password or the recovery key (see the user guide, Security)

RETENTION (stored in the vault; ` + "`chatvault forget VAULT`" + ` applies it)
  --keep-last N, --keep-daily N, --keep-weekly N, --keep-monthly N, --keep-yearly N
Flags not given keep their value; 0 turns a rule off.

Examples:
  chatvault vault set usb --destination /media/me/NEWNAME/chatvault
  chatvault vault set cloud --option access-key-id=AKIA... --option secret-access-key=...
  chatvault vault set usb --password-file ~/.config/chatvault/usb.pass
  chatvault vault set usb --keep-daily 14 --keep-monthly 24` + vaultExitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVaultSet(cmd.Context(), g, args[0], o, cmd.Flags())
		},
	}
	f := c.Flags()
	f.StringVar(&o.destination, "destination", "", "the vault's new destination (same kind, the vault already there)")
	f.StringArrayVar(&o.options, "option", nil, "destination setting KEY=VALUE (repeatable); KEY= removes it")
	f.StringVar(&o.source.file, "password-file", "", "from now on read the vault's password from this file")
	f.StringVar(&o.source.command, "password-command", "", "from now on run this command for the vault's password")
	f.BoolVar(&o.source.keyring, "password-keyring", false, "keep the vault's password in the OS keyring")
	f.BoolVar(&o.prompt, "password-prompt", false, "no stored password source: ask every time")
	f.BoolVar(&o.keepKey, "keep-key", true, "keep the vault's unlocked key on this machine for backups (--keep-key=false: no)")
	f.IntVar(&o.keep.KeepLatest, "keep-last", 0, "retention: keep the newest N snapshots")
	f.IntVar(&o.keep.KeepDaily, "keep-daily", 0, "retention: one a day for the last N days")
	f.IntVar(&o.keep.KeepWeekly, "keep-weekly", 0, "retention: one a week for the last N weeks")
	f.IntVar(&o.keep.KeepMonthly, "keep-monthly", 0, "retention: one a month for the last N months")
	f.IntVar(&o.keep.KeepAnnual, "keep-yearly", 0, "retention: one a year for the last N years")
	f.StringVar(&o.secrets.recoveryKey, "recovery-key", "", "open the vault with the recovery key (to change its retention)")
	return c
}

func runVaultSet(ctx context.Context, g *globals, name string, o *vaultSetOptions, flags *pflag.FlagSet) error {
	c, err := g.config()
	if err != nil {
		return err
	}
	old, ok := c.Vaults[name]
	if !ok {
		if looksLikeDestination(name) {
			return usagef(fmt.Sprintf("vault set takes a configured vault's name, not a destination: first `chatvault vault add NAME %s`", name))
		}
		if _, err := g.resolveVault(name); err != nil {
			return err // names the configured vaults
		}
		return withCode(fmt.Errorf("no vault named %q", name), exitNoVault)
	}
	newSource := o.source.given() || o.prompt
	retention := false
	for _, f := range retentionFlags {
		retention = retention || flags.Changed(f)
	}
	where := flags.Changed("destination") || len(o.options) > 0
	keyChange := flags.Changed("keep-key")
	if !newSource && !retention && !where && !keyChange {
		return usagef("nothing to change: give --destination, --option KEY=VALUE, a password source (--password-file, --password-command, --password-keyring, --password-prompt), --keep-key or --keep-* (see --help)")
	}
	if err := o.source.check(); err != nil {
		return err
	}
	if o.prompt && o.source.given() {
		return usagef("--password-prompt means no stored source: give it alone")
	}
	for _, k := range []int{o.keep.KeepLatest, o.keep.KeepDaily, o.keep.KeepWeekly, o.keep.KeepMonthly, o.keep.KeepAnnual} {
		if k < 0 {
			return usagef("a --keep-* count is 0 or more")
		}
	}

	cfg := *old
	var said []string
	if where {
		line, err := setDestination(ctx, name, old, &cfg, o)
		if err != nil {
			return err
		}
		said = append(said, line)
	}
	d, err := vault.ParseDestination(config.ExpandHome(cfg.Destination), cfg.Options)
	if err != nil {
		return usagef(fmt.Sprintf("vault %s: %v", name, err))
	}
	r := vaultRef{name: name, cfg: &cfg, dest: d}
	if newSource {
		line, err := setPasswordSource(ctx, g, r, o)
		if err != nil {
			return err
		}
		said = append(said, line)
	}
	if retention {
		line, err := storeRetention(ctx, g, r, o, flags)
		if err != nil {
			return err
		}
		said = append(said, line)
	}
	if keyChange {
		cfg.NoKeptKey = !o.keepKey
		if o.keepKey {
			said = append(said, "backups keep its unlocked key on this machine")
		} else {
			said = append(said, "backups keep no key on this machine: each needs the password")
		}
	}
	c.Vaults[name] = &cfg
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	if cfg.NoKeptKey {
		if err := vault.ForgetKey(config.KeptKeyFile(name)); err != nil {
			return fmt.Errorf("vault %s: removing the kept key: %w", name, err)
		}
	}
	if old.PasswordKeyring && !cfg.PasswordKeyring {
		if err := keyring.Delete(name); err != nil {
			fmt.Fprintf(g.stderr, "chatvault: warning: the old password stays in the keyring: %v\n", err)
		}
	}
	for _, l := range said {
		fmt.Fprintf(g.stdout, "Vault %s: %s.\n", name, l)
	}
	return nil
}

// setDestination applies --destination and --option to cfg. The kind stays: a vault's data is
// laid out for its kind of storage, so "s3 instead of a folder" is a new vault and a copy.
func setDestination(ctx context.Context, name string, old, cfg *config.Vault, o *vaultSetOptions) (string, error) {
	opts, err := parseOptions(o.options, old.Options)
	if err != nil {
		return "", err
	}
	dest := old.Destination
	if o.destination != "" {
		dest = o.destination
	}
	if was, is := vault.DestinationKind(old.Destination), vault.DestinationKind(dest); was != is {
		return "", usagef(fmt.Sprintf("vault %s is a %s vault and cannot become %s: a vault is the files at its destination. "+
			"To move the backups: `chatvault vault add NEW %s`, `chatvault init NEW`, `chatvault copy --from %s --to NEW`",
			name, kindName(was), kindName(is), o.destination, name))
	}
	d, err := vault.ParseDestination(config.ExpandHome(dest), opts)
	if err != nil {
		return "", usagef(err.Error())
	}
	if local, ok := d.LocalPath(); ok && !strings.HasPrefix(dest, "~") {
		dest = local
	}
	if len(opts) == 0 {
		opts = nil
	}
	cfg.Destination, cfg.Options = dest, opts
	if o.destination == "" || config.ExpandHome(dest) == config.ExpandHome(old.Destination) {
		return "destination settings changed (" + d.String() + ")", nil
	}
	found, err := vault.Exists(ctx, d)
	r := vaultRef{name: name, dest: d}
	if err != nil {
		return "", vaultError(r, err)
	}
	if !found {
		return "", withCode(fmt.Errorf("no vault at %s: move the vault's files there first, or for a new vault use `chatvault vault add`", d), exitNoVault)
	}
	return "destination is now " + d.String(), nil
}

func kindName(kind string) string {
	if kind == "filesystem" {
		return "folder"
	}
	return kind
}

// setPasswordSource applies --password-* to r.cfg after checking the new source opens the vault.
func setPasswordSource(ctx context.Context, g *globals, r vaultRef, o *vaultSetOptions) (string, error) {
	oldSource := *r.cfg
	r.cfg.PasswordFile, r.cfg.PasswordCommand, r.cfg.PasswordKeyring = "", "", false
	if o.prompt {
		return "no stored password: it is asked for each time (or taken from CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND, CHATVAULT_PASSWORD)", nil
	}
	if o.source.keyring {
		if _, err := keyring.Get(r.name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return "", keyringError(r.name, err)
		}
		// The password to keep comes from wherever it came from before, or is asked for.
		old := r
		oldCfg := oldSource
		oldCfg.PasswordKeyring = false
		old.cfg = &oldCfg
		var pw string
		v, err := g.openVault(ctx, old, &secretOptions{}, true, &pw)
		if err != nil {
			return "", err
		}
		v.Close(context.WithoutCancel(ctx))
		if pw == "" {
			return "", usagef("--password-keyring keeps the password, not the recovery key: give the password")
		}
		if err := keyring.Set(r.name, pw); err != nil {
			return "", keyringError(r.name, err)
		}
		r.cfg.PasswordKeyring = true
		return "password kept in the OS keyring (checked: it opens the vault)", nil
	}
	o.source.apply(r.cfg)
	pw, _, err := (&secretOptions{}).password("", vaultSecretsOf(r.name, &config.Vault{PasswordFile: r.cfg.PasswordFile, PasswordCommand: r.cfg.PasswordCommand}))
	if err != nil {
		return "", err
	}
	what := "password from the file " + r.cfg.PasswordFile
	if r.cfg.PasswordCommand != "" {
		what = "password from the command " + r.cfg.PasswordCommand
	}
	v, err := vault.Open(ctx, r.dest, vault.Password(pw), g.vaultOpenOptions(true))
	switch {
	case err == nil:
		v.Close(context.WithoutCancel(ctx))
		return what + " (checked: it opens the vault)", nil
	case errors.Is(err, vault.ErrUnreachable), errors.Is(err, vault.ErrNotInitialized):
		return what + " (not checked: " + oneLine(vaultError(r, err)) + ")", nil
	}
	return "", vaultError(r, err)
}

// storeRetention stores the vault's retention, changing only the rules given.
func storeRetention(ctx context.Context, g *globals, r vaultRef, o *vaultSetOptions, flags *pflag.FlagSet) (string, error) {
	v, err := g.openVault(ctx, r, &o.secrets, false, nil)
	if err != nil {
		return "", err
	}
	defer v.Close(context.WithoutCancel(ctx))
	keep, err := v.Retention(ctx)
	if err != nil {
		return "", vaultError(r, err)
	}
	for f, p := range map[string]*int{"keep-last": &keep.KeepLatest, "keep-daily": &keep.KeepDaily, "keep-weekly": &keep.KeepWeekly,
		"keep-monthly": &keep.KeepMonthly, "keep-yearly": &keep.KeepAnnual} {
		if flags.Changed(f) {
			v, _ := flags.GetInt(f)
			*p = v
		}
	}
	if err := v.SetRetention(ctx, keep); err != nil {
		return "", vaultError(r, err)
	}
	return "retention " + formatRetention(keep) + " (`chatvault forget " + r.name + "` applies it)", nil
}

// formatRetention says a retention rule in words: "keeps the last 10, 7 daily, ...".
func formatRetention(k vault.Retention) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	if k.KeepLatest > 0 {
		parts = append(parts, fmt.Sprintf("the last %d", k.KeepLatest))
	}
	add(k.KeepHourly, "hourly")
	add(k.KeepDaily, "daily")
	add(k.KeepWeekly, "weekly")
	add(k.KeepMonthly, "monthly")
	add(k.KeepAnnual, "yearly")
	if len(parts) == 0 {
		return "keeps every snapshot"
	}
	return "keeps " + strings.Join(parts, ", ")
}
