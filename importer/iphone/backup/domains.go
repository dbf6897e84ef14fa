package backup

import (
	"fmt"
	"strings"
)

// Domains lists the backup's domains (HomeDomain, AppDomain-<bundle id>, ...), sorted.
func (b *Backup) Domains() ([]string, error) {
	db, err := b.manifestDB()
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT DISTINCT domain FROM Files WHERE domain IS NOT NULL ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	return out, nil
}

// AppDomains returns the app and app-group domains of the apps whose bundle id is
// bundleIDPrefix or starts with bundleIDPrefix + ".": AppDomain-<id> and
// AppDomainGroup-group.<id>… (also AppDomainGroup-<id>…). "net.whatsapp.WhatsApp" finds
// AppDomain-net.whatsapp.WhatsApp and AppDomainGroup-group.net.whatsapp.WhatsApp.shared, but
// not WhatsApp Business (net.whatsapp.WhatsAppSMB); "com.tencent.xin" finds WeChat's.
func (b *Backup) AppDomains(bundleIDPrefix string) ([]string, error) {
	all, err := b.Domains()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range all {
		if matchesApp(d, bundleIDPrefix) {
			out = append(out, d)
		}
	}
	return out, nil
}

func matchesApp(domain, prefix string) bool {
	under := func(id string) bool {
		return id == prefix || strings.HasPrefix(id, prefix+".")
	}
	if id, ok := strings.CutPrefix(domain, "AppDomain-"); ok {
		return under(id)
	}
	if id, ok := strings.CutPrefix(domain, "AppDomainGroup-"); ok {
		if g, ok := strings.CutPrefix(id, "group."); ok && under(g) {
			return true
		}
		return under(id)
	}
	return false
}
