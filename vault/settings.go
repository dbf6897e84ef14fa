package vault

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// knownSettings are the settings each kind of destination reads (see ParseDestination). A
// setting it does not know is an error, not silently ignored: a mistyped access-key would
// otherwise surface later as a puzzling "access denied".
var knownSettings = map[string][]string{
	"filesystem": {},
	"s3":         {"endpoint", "region", "tls", "tls-verify", "access-key-id", "secret-access-key", "session-token"},
	"sftp":       {"username", "port", "key-file", "known-hosts", "password"},
	"webdav":     {"username", "password", "fingerprint"},
	"gcs":        {"credentials-file"},
	"azure":      {"account", "key", "sas-token", "domain"},
	"b2":         {"key-id", "key"},
	"rclone":     {"rclone-exe"},
}

// canonicalKey spells a setting's name the one way the code looks it up: lower case, words
// joined by '-' (so known_hosts and Known-Hosts both mean known-hosts).
func canonicalKey(k string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), "_", "-")
}

func canonicalKeys(options map[string]string) map[string]string {
	if len(options) == 0 {
		return options
	}

	out := make(map[string]string, len(options))
	for k, v := range options {
		out[canonicalKey(k)] = v
	}

	return out
}

func canonicalQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[canonicalKey(k)] = v
	}

	return out
}

// DestinationKind names the kind of destination s is ("filesystem", "s3", ...) from its form
// alone, before any setting or credential is checked: a vault's kind cannot change.
func DestinationKind(s string) string { return kindOf(s) }

// kindOf names the kind of destination s is, from its scheme ("" when unknown: the parser
// then says so).
func kindOf(s string) string {
	m := schemeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "filesystem"
	}

	switch k := strings.ToLower(m[1]); k {
	case "file":
		return "filesystem"
	case "webdavs":
		return "webdav"
	default:
		return k
	}
}

// checkSettings refuses options and URL query keys the destination's kind does not read.
func checkSettings(s string, options map[string]string) error {
	kind := kindOf(s)

	known, ok := knownSettings[kind]
	if !ok {
		return nil
	}

	var keys []string
	for k := range options {
		keys = append(keys, k)
	}

	if kind != "filesystem" {
		if _, query, ok := strings.Cut(s, "?"); ok {
			if q, err := url.ParseQuery(query); err == nil {
				for k := range q {
					keys = append(keys, canonicalKey(k))
				}
			}
		}
	}

	sort.Strings(keys)

	for _, k := range keys {
		if slices.Contains(known, k) {
			continue
		}

		if len(known) == 0 {
			return fmt.Errorf("destination %s: a folder destination takes no settings (got %q)", redactURL(s), k)
		}

		return fmt.Errorf("destination %s: unknown setting %q for %s (known: %s)", redactURL(s), k, kind, strings.Join(known, ", "))
	}

	return nil
}
