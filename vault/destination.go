package vault

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/filesystem"
)

// Destination says where a vault lives: a folder, or a bucket or server
// reached with credentials. It is built by ParseDestination and is safe to
// print: String never contains a credential.
type Destination struct {
	kind    string // filesystem, s3, sftp, webdav, gcs, azure, b2, rclone
	display string // canonical, redacted form
	local   string // absolute folder for kind "filesystem"

	// newStorage opens kopia's blob storage for this destination. It closes
	// over the resolved options, credentials included, which never leave
	// this process except to the storage server itself.
	newStorage func(ctx context.Context, create bool) (blob.Storage, error)
}

// Kind names the storage type: "filesystem", "s3", "sftp", "webdav", "gcs",
// "azure", "b2" or "rclone".
func (d Destination) Kind() string { return d.kind }

// String returns the destination in canonical form with every credential
// left out, fit for logs, errors and the config file.
func (d Destination) String() string { return d.display }

// GoString keeps %#v from printing the struct's fields.
func (d Destination) GoString() string { return "vault.Destination(" + d.display + ")" }

// LocalPath returns the absolute folder of a filesystem destination.
func (d Destination) LocalPath() (string, bool) { return d.local, d.kind == "filesystem" }

var schemeRE = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*)://`)

// ParseDestination parses a destination:
//
//	/mnt/backup, ./vault, file:///mnt/backup           a folder (made absolute)
//	s3://bucket/prefix?endpoint=host:port&region=r&tls=false
//	sftp://user@host[:port]/absolute/path  (or /~/relative-to-home)
//	webdav://host/path, webdavs://host/path
//	gcs://bucket/prefix
//	azure://container/prefix
//	b2://bucket/prefix
//	rclone://remote:path
//
// Settings come from, in order: the options map (the config file passes
// these), the URL's query, then the environment. Keys by kind (case and '_'
// versus '-' do not matter; any other key is an error):
//
//	s3:     endpoint, region, tls (true|false), tls-verify (true|false),
//	        access-key-id ($AWS_ACCESS_KEY_ID), secret-access-key ($AWS_SECRET_ACCESS_KEY),
//	        session-token ($AWS_SESSION_TOKEN)
//	sftp:   username, port, key-file ($CHATVAULT_SFTP_KEYFILE, else ~/.ssh/id_ed25519,
//	        id_ecdsa, id_rsa), known-hosts ($CHATVAULT_SFTP_KNOWN_HOSTS, else
//	        ~/.ssh/known_hosts), password ($CHATVAULT_SFTP_PASSWORD; used instead of the key)
//	webdav: username ($WEBDAV_USERNAME), password ($WEBDAV_PASSWORD),
//	        fingerprint (SHA-256 of a self-signed server certificate)
//	gcs:    credentials-file ($GOOGLE_APPLICATION_CREDENTIALS)
//	azure:  account ($AZURE_STORAGE_ACCOUNT), key ($AZURE_STORAGE_KEY),
//	        sas-token ($AZURE_STORAGE_SAS_TOKEN), domain
//	b2:     key-id ($B2_ACCOUNT_ID or $B2_APPLICATION_KEY_ID), key ($B2_APPLICATION_KEY)
//	rclone: rclone-exe (default "rclone" on PATH)
//
// Credentials are required up front: kopia would otherwise fall back to
// cloud metadata endpoints, which means surprising network traffic.
func ParseDestination(s string, options map[string]string) (Destination, error) {
	options = canonicalKeys(options)

	// Misspelt settings first: they may be why a credential looks missing.
	if err := checkSettings(s, options); err != nil {
		return Destination{}, err
	}

	return parseDestination(s, options)
}

func parseDestination(s string, options map[string]string) (Destination, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Destination{}, fmt.Errorf("empty destination")
	}

	m := schemeRE.FindStringSubmatch(s)
	if m == nil {
		return parseLocal(s)
	}

	if strings.EqualFold(m[1], "rclone") {
		// rclone://remote:path is not a URL (the colon is not a port).
		rest, query, _ := strings.Cut(s[len(m[0]):], "?")

		q, err := url.ParseQuery(query)
		if err != nil {
			return Destination{}, fmt.Errorf("destination %q: %w", redactURL(s), err)
		}

		return parseRclone(rest, settings{opts: options, query: canonicalQuery(q)})
	}

	u, err := url.Parse(s)
	if err != nil {
		return Destination{}, fmt.Errorf("destination %q: %w", redactURL(s), err)
	}

	o := settings{opts: options, query: canonicalQuery(u.Query())}

	switch strings.ToLower(m[1]) {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return Destination{}, fmt.Errorf("destination %q: file URLs must name a local path", s)
		}

		return parseLocal(u.Path)
	case "s3":
		return parseS3(u, o)
	case "sftp":
		return parseSFTP(u, o)
	case "webdav", "webdavs":
		return parseWebDAV(u, o)
	case "gcs", "gs":
		return parseGCS(u, o)
	case "azure":
		return parseAzure(u, o)
	case "b2":
		return parseB2(u, o)
	default:
		return Destination{}, fmt.Errorf("destination %q: unsupported scheme %q (use a path, s3://, sftp://, webdav://, webdavs://, gcs://, azure://, b2:// or rclone://)", redactURL(s), m[1])
	}
}

func parseLocal(p string) (Destination, error) {
	if strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return Destination{}, fmt.Errorf("destination %q: %w", p, err)
		}

		p = filepath.Join(home, p[2:])
	}

	abs, err := filepath.Abs(p)
	if err != nil {
		return Destination{}, fmt.Errorf("destination %q: %w", p, err)
	}

	return Destination{
		kind:    "filesystem",
		display: abs,
		local:   abs,
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			st, err := filesystem.New(ctx, &filesystem.Options{
				Path:          abs,
				FileMode:      0o600,
				DirectoryMode: 0o700,
			}, create)
			if err != nil {
				return nil, err //nolint:wrapcheck
			}

			return newDurableStorage(st, abs), nil
		},
	}, nil
}

// settings looks a key up in the explicit options, then the URL query, then
// the environment variables given.
type settings struct {
	opts  map[string]string
	query url.Values
}

func (o settings) get(key string, envs ...string) string {
	if v, ok := o.opts[key]; ok && v != "" {
		return v
	}

	if v := o.query.Get(key); v != "" {
		return v
	}

	for _, e := range envs {
		if v := os.Getenv(e); v != "" {
			return v
		}
	}

	return ""
}

func (o settings) boolean(key string, def bool) (bool, error) {
	switch strings.ToLower(o.get(key)) {
	case "":
		return def, nil
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	default:
		return false, fmt.Errorf("option %s: want true or false", key)
	}
}

// publicQuery renders the non-secret settings that differ from defaults, so
// String is canonical and round-trips through ParseDestination.
func publicQuery(kv map[string]string) string {
	keys := make([]string, 0, len(kv))
	for k, v := range kv {
		if v != "" {
			keys = append(keys, k)
		}
	}

	if len(keys) == 0 {
		return ""
	}

	sort.Strings(keys)

	q := url.Values{}
	for _, k := range keys {
		q.Set(k, kv[k])
	}

	return "?" + q.Encode()
}

// objectPrefix turns a URL path into a kopia object-name prefix: no leading
// slash, and a trailing one so blob names never run into the prefix.
func objectPrefix(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}

	return p + "/"
}

// redactURL drops userinfo and the query from a URL-ish string for messages
// about a destination that failed to parse.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		u.User = nil
		u.RawQuery = ""

		return u.String()
	}

	if i := strings.IndexAny(s, "?@"); i >= 0 {
		return s[:i] + "…"
	}

	return s
}

func requireOpt(kind, what, value string, envs ...string) error {
	if value != "" {
		return nil
	}

	return fmt.Errorf("%s destination: missing %s (set %s or pass it in the config)", kind, what, strings.Join(envs, " or "))
}
