package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/demo"
	"github.com/chatvault/chatvault/vault"
)

type demoOptions struct {
	dir  string
	keep bool
}

func newDemoCommand(g *globals) *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job on a built-in example, in a temporary folder",
		Long: `Run chatvault's main job on a built-in example chat, with no account and no setup: write an
example WhatsApp export, import it into a fresh archive, search it, back it up to an encrypted
vault in a folder (standing in for a USB drive), import a longer export of the same chat and back
up again (only what changed is uploaded), verify the vault, and restore it as a new machine would.

Nothing outside the temporary folder is touched; it is removed afterwards unless --keep.` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), g, o)
		},
	}
	c.Flags().StringVar(&o.dir, "dir", "", "folder to work in (default: a new temporary folder)")
	c.Flags().BoolVar(&o.keep, "keep", false, "keep the folder afterwards to look around")
	return c
}

func runDemo(ctx context.Context, g *globals, o *demoOptions) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "chatvault-demo-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	out := g.stdout
	step := func(format string, args ...any) { fmt.Fprintf(out, "\n== "+format+"\n", args...) }

	// The demo never touches the user's own archive or settings.
	g.archiveFlag = filepath.Join(dir, "archive")
	g.configFlag = filepath.Join(dir, "config.toml")

	first := filepath.Join(dir, "first", demo.ExportName)
	later := filepath.Join(dir, "later", demo.ExportName)
	if err := writeDemoExport(first, false); err != nil {
		return err
	}
	if err := writeDemoExport(later, true); err != nil {
		return err
	}
	fmt.Fprintf(out, "chatvault demo: working in %s\n", dir)

	step("Import an example WhatsApp export (%s)", demo.ExportName)
	if err := runImport(ctx, g, &importOptions{}, []string{first}); err != nil {
		return err
	}
	step("chatvault chats")
	if err := runChats(ctx, g, false); err != nil {
		return err
	}
	step("chatvault search %s", demo.SearchWord)
	if err := runSearch(ctx, g, &searchOptions{limit: 3, context: 0}, demo.SearchWord); err != nil {
		return err
	}
	step("chatvault search 护照 (Chinese text is found inside words)")
	if err := runSearch(ctx, g, &searchOptions{limit: 3, context: 0}, "护照"); err != nil {
		return err
	}

	// Back up to a vault in the demo folder, as to a USB drive.
	vaultDir := filepath.Join(dir, "usb-drive", "chatvault")
	pwFile := filepath.Join(dir, "demo-password.txt")
	if err := os.WriteFile(pwFile, []byte("demo password, use a better one\n"), 0o600); err != nil {
		return err
	}
	secrets := secretOptions{passwordFile: pwFile}
	step("chatvault vault add usb %s && chatvault init usb", vaultDir)
	c, err := g.config()
	if err != nil {
		return err
	}
	c.Vaults = map[string]*config.Vault{"usb": {Destination: vaultDir}}
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	r, err := g.resolveVault("usb")
	if err != nil {
		return err
	}
	key, err := vault.Init(ctx, r.dest, "demo password, use a better one", vault.InitOptions{OpenOptions: g.vaultOpenOptions(false)})
	if err != nil {
		return vaultError(r, err)
	}
	fmt.Fprintf(out, "Created an encrypted vault. Its recovery key (shown once, for real vaults: write it down):\n    %s\n", key)
	step("chatvault backup")
	if _, err := runBackup(ctx, g, &backupOptions{secrets: secrets}); err != nil {
		return err
	}
	step("A month later: import a longer export of the same chat; only the new messages are added")
	if err := runImport(ctx, g, &importOptions{}, []string{later}); err != nil {
		return err
	}
	step("chatvault backup (only what changed is uploaded)")
	if _, err := runBackup(ctx, g, &backupOptions{secrets: secrets}); err != nil {
		return err
	}
	step("chatvault verify usb --read-data")
	if err := runVerify(ctx, g, &verifyOptions{readData: true, secrets: secrets}, "usb"); err != nil {
		return err
	}
	restored := filepath.Join(dir, "new-laptop", "archive")
	step("A new machine: chatvault restore --from %s --to %s", vaultDir, restored)
	if err := runRestore(ctx, g, &restoreOptions{from: vaultDir, snapshot: "latest", to: restored, secrets: secrets}); err != nil {
		return err
	}
	step("chatvault --archive %s stats (the restored archive)", restored)
	a, err := archive.Open(ctx, restored)
	if err != nil {
		return err
	}
	err = runStats(ctx, g, a, false)
	a.Close()
	if err != nil {
		return err
	}
	if o.keep || o.dir != "" {
		fmt.Fprintf(out, "\nThe demo archive is in %s; try: chatvault --archive %s chats\n", g.archiveFlag, g.archiveFlag)
	}
	fmt.Fprintln(out, "\nDone. Your own archive was not touched.")
	return nil
}

func writeDemoExport(path string, followUp bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := demo.WriteExport(f, followUp); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
