package iphone

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"slices"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/iphone/backup"
)

// App is a chat app an iPhone backup can hold.
type App struct {
	Name     string // "WhatsApp"
	Bundle   string // bundle id in Info.plist's Installed Applications ("" for system apps)
	Importer string // name of the importer that reads its data
}

// Apps are the chat apps looked for, in report order.
var Apps = []App{
	{"WhatsApp", "net.whatsapp.WhatsApp", "whatsapp-ios-db"},
	{"WhatsApp Business", "net.whatsapp.WhatsAppSMB", "whatsapp-ios-db"},
	{"WeChat", "com.tencent.xin", "wechat-ios"},
	{"Messages", "", "imessage"},
}

// Domains and paths of each app's data (see the project's notes, iphone-backup.md §4).
const (
	whatsAppDomain    = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
	whatsAppSMBDomain = "AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared"
	weChatDomain      = "AppDomain-com.tencent.xin"
	smsPath           = "Library/SMS/sms.db"
)

// weChatDB is where WeChat keeps an account's messages: Documents/<md5 of the wxid>/DB/MM.sqlite.
var weChatDB = regexp.MustCompile(`^Documents/[0-9a-f]{32}/DB/MM\.sqlite$`)

// Found is an app's data in a backup: where it is, as a source for its importer.
type Found struct {
	App    App
	Source importer.Source
	reads  []area // every place the source can read, for its digest (manifestDigest)
}

// FindApps lists the chat apps whose data the backup holds, found by domain and path (never by
// a file name alone: other apps ship look-alike databases).
func FindApps(b *backup.Backup) ([]Found, error) {
	in := b.Info()
	label := func(app string) string { return fmt.Sprintf("iPhone backup %s: %s", deviceName(in), app) }
	var out []Found
	isFile := func(domain, p string) bool {
		st, err := fs.Stat(b.FS(domain), p)
		return err == nil && st.Mode().IsRegular()
	}
	for _, app := range Apps {
		var src importer.Source
		var reads []area
		switch app.Name {
		case "WhatsApp", "WhatsApp Business":
			d := whatsAppDomain
			if app.Name == "WhatsApp Business" {
				d = whatsAppSMBDomain
			}
			if !isFile(d, "ChatStorage.sqlite") {
				continue
			}
			src = importer.Source{FS: b.FS(d), Path: "."}
			reads = []area{{d, ""}}
		case "WeChat":
			dbs, err := b.Paths(weChatDomain, weChatDB.MatchString)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(dbs, func(p string) bool { return isFile(weChatDomain, p) }) {
				continue
			}
			src = importer.Source{FS: b.FS(weChatDomain), Path: "."}
			reads = []area{{weChatDomain, ""}}
		case "Messages":
			if !isFile("HomeDomain", smsPath) {
				continue
			}
			// The database is in HomeDomain, its attachments in MediaDomain, both under the
			// same home-relative paths (Library/SMS/...): one view joins them.
			src = importer.Source{FS: joinFS{b.FS("HomeDomain"), b.FS("MediaDomain")}, Path: smsPath}
			reads = []area{{"HomeDomain", "Library/SMS/"}, {"MediaDomain", "Library/SMS/"}}
		}
		src.Name = label(app.Name)
		out = append(out, Found{App: app, Source: src, reads: reads})
	}
	return out, nil
}

// findApps turns the apps found into parts: imported by their importer when it is linked in,
// skipped with why otherwise; apps installed (Info.plist) but without data are skipped too.
func findApps(ctx context.Context, b *backup.Backup, in backup.Info) ([]importer.Part, error) {
	found, err := FindApps(b)
	if err != nil {
		return nil, err
	}
	var parts []importer.Part
	have := map[string]bool{}
	for _, f := range found {
		have[f.App.Name] = true
		imp, err := importer.ByName(f.App.Importer)
		if err != nil {
			parts = append(parts, importer.Part{Source: f.Source, Skipped: fmt.Sprintf("chatvault cannot read %s yet", f.App.Name)})
			continue
		}
		// Digested here, not in FindApps: `chatvault sources` lists apps and needs none.
		digest, err := manifestDigest(b, f.reads)
		if err != nil {
			return nil, err
		}
		parts = append(parts, importer.Part{Source: f.Source, Importer: imp, Digest: digest})
	}
	for _, app := range Apps {
		if app.Bundle != "" && !have[app.Name] && slices.Contains(in.Apps, app.Bundle) {
			parts = append(parts, importer.Part{Source: importer.Source{Name: fmt.Sprintf("iPhone backup %s: %s", deviceName(in), app.Name)},
				Skipped: "installed, but its chats are not in this backup"})
		}
	}
	if len(parts) == 0 {
		parts = append(parts, importer.Part{Source: importer.Source{Name: fmt.Sprintf("iPhone backup %s", deviceName(in))},
			Skipped: "no chats of WhatsApp, WeChat or Messages in this backup"})
	}
	return parts, ctx.Err()
}
