package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/importer/iphone"
	"github.com/chatvault/chatvault/importer/iphone/backup"
)

// sourceBackup is one iPhone backup `sources` lists.
type sourceBackup struct {
	Path      string    `json:"path"`
	Device    string    `json:"device"`
	Product   string    `json:"product,omitempty"`
	IOS       string    `json:"ios"`
	Date      time.Time `json:"date"`
	Encrypted bool      `json:"encrypted"`
	// Apps are the chat apps with data in the backup; for an encrypted backup, whose file list
	// needs the password, the chat apps installed (Messages always is).
	Apps     []string `json:"apps"`
	AppsFrom string   `json:"apps_from"` // "backup" or "installed apps"
	Error    string   `json:"error,omitempty"`
}

type sourcesList struct {
	Searched []string       `json:"searched"`
	Backups  []sourceBackup `json:"backups"`
	Problems []string       `json:"problems"`
}

func newSourcesCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "sources [FOLDER...]",
		Short: "List the iPhone backups on this computer and the chats in each",
		Long: `List the iPhone backups Finder, iTunes and the Apple Devices app keep on this computer (and in
each FOLDER named): device name, date, iOS version, whether the backup is encrypted, and which
chat apps it holds (WhatsApp, WeChat, Messages). Import one with: chatvault import FOLDER.

Backups live in ~/Library/Application Support/MobileSync/Backup on macOS (reading it needs Full
Disk Access for the terminal), %APPDATA%\Apple Computer\MobileSync\Backup (iTunes from
apple.com) or %USERPROFILE%\Apple\MobileSync\Backup (Microsoft Store iTunes, Apple Devices) on
Windows. An encrypted backup's file list needs its password: its apps are those installed.` + exitStatusHelp,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSources(cmd.Context(), g, args, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func runSources(ctx context.Context, g *globals, folders []string, asJSON bool) error {
	list := sourcesList{Searched: append(backup.Locate(), folders...), Backups: []sourceBackup{}, Problems: []string{}}
	seen := map[string]bool{}
	for _, root := range list.Searched {
		dirs, err := backup.Find(root)
		if err != nil {
			list.Problems = append(list.Problems, oneLine(err))
			continue
		}
		for _, d := range dirs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if abs, err := filepath.Abs(d); err == nil {
				if seen[abs] {
					continue
				}
				seen[abs] = true
			}
			list.Backups = append(list.Backups, describeBackup(d))
		}
	}
	if asJSON {
		return printJSON(g.stdout, list)
	}
	for _, p := range list.Problems {
		fmt.Fprintf(g.stderr, "chatvault: %s\n", p)
	}
	if len(list.Backups) == 0 {
		if len(list.Searched) == 0 {
			fmt.Fprintln(g.stdout, "No iPhone backup folder on this computer. Name one: chatvault sources FOLDER")
		} else {
			fmt.Fprintf(g.stdout, "No iPhone backups in %s\n", strings.Join(list.Searched, ", "))
		}
		return nil
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	tw := newTable(g.stdout)
	fmt.Fprintln(tw, "DEVICE\tDATE\tiOS\tENCRYPTED\tCHATS\tFOLDER")
	for _, b := range list.Backups {
		enc := "no"
		if b.Encrypted {
			enc = "yes"
		}
		apps := strings.Join(b.Apps, ", ")
		switch {
		case b.Error != "":
			apps = "cannot read: " + b.Error
		case apps == "":
			apps = "none"
		case b.AppsFrom != "backup":
			apps += " (installed)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", sanitizeTerminal(b.Device), formatTime(b.Date, loc), b.IOS, enc, apps, sanitizeTerminal(b.Path))
	}
	return tw.Flush()
}

// describeBackup reads a backup's plists (and, when it is plain, its file list).
func describeBackup(dir string) sourceBackup {
	s := sourceBackup{Path: dir, Apps: []string{}}
	b, err := backup.Open(dir)
	if err != nil {
		s.Error = oneLine(err)
		return s
	}
	defer b.Close()
	in := b.Info()
	s.Device, s.Product, s.IOS, s.Date, s.Encrypted = in.DeviceName, in.ProductType, in.IOSVersion, in.Date, in.Encrypted
	if in.Encrypted {
		s.AppsFrom = "installed apps"
		for _, app := range iphone.Apps {
			if app.Bundle == "" || slices.Contains(in.Apps, app.Bundle) {
				s.Apps = append(s.Apps, app.Name)
			}
		}
		return s
	}
	s.AppsFrom = "backup"
	found, err := iphone.FindApps(b)
	if err != nil {
		s.Error = oneLine(err)
		return s
	}
	for _, f := range found {
		s.Apps = append(s.Apps, f.App.Name)
	}
	return s
}
