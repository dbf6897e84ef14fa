package vault

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/sftp"
)

// parseSFTP handles sftp://user@host[:port]/path. The path is absolute on
// the server; /~/dir means dir under the login directory. Kopia's built-in
// SSH client is used (no ssh binary needed); the server's host key must be
// in a known_hosts file, never trusted blindly.
func parseSFTP(u *url.URL, o settings) (Destination, error) {
	host := u.Hostname()
	if host == "" {
		return Destination{}, fmt.Errorf("sftp destination: missing host (sftp://user@host/path)")
	}

	port := 22

	if p := u.Port(); p != "" || o.get("port") != "" {
		if p == "" {
			p = o.get("port")
		}

		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return Destination{}, fmt.Errorf("sftp destination: bad port %q", p)
		}

		port = n
	}

	username := u.User.Username()
	if username == "" {
		username = o.get("username")
	}

	if username == "" {
		cur, err := user.Current()
		if err != nil {
			return Destination{}, fmt.Errorf("sftp destination: no user name: %w", err)
		}

		username = cur.Username
	}

	p := u.Path
	if p == "" || p == "/" {
		return Destination{}, fmt.Errorf("sftp destination: missing path (sftp://user@host/path)")
	}

	p = strings.TrimPrefix(p, "/~/") // relative paths resolve against the login directory

	password, _ := u.User.Password()
	if password == "" {
		password = o.get("password", "CHATVAULT_SFTP_PASSWORD")
	}

	opt := sftp.Options{
		Path:           strings.TrimSuffix(p, "/"),
		Host:           host,
		Port:           port,
		Username:       username,
		Password:       password,
		KnownHostsFile: o.get("known-hosts", "CHATVAULT_SFTP_KNOWN_HOSTS"),
	}

	home, _ := os.UserHomeDir()

	if opt.KnownHostsFile == "" && home != "" {
		opt.KnownHostsFile = filepath.Join(home, ".ssh", "known_hosts")
	}

	if password == "" {
		opt.Keyfile = o.get("key-file", "CHATVAULT_SFTP_KEYFILE")
		if opt.Keyfile == "" && home != "" {
			for _, k := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
				if f := filepath.Join(home, ".ssh", k); fileExists(f) {
					opt.Keyfile = f
					break
				}
			}
		}

		if opt.Keyfile == "" {
			return Destination{}, fmt.Errorf("sftp destination: no key file (set CHATVAULT_SFTP_KEYFILE or CHATVAULT_SFTP_PASSWORD)")
		}
	}

	// kopia insists on absolute paths for both files.
	for _, f := range []*string{&opt.Keyfile, &opt.KnownHostsFile} {
		if *f != "" {
			abs, err := filepath.Abs(*f)
			if err != nil {
				return Destination{}, fmt.Errorf("sftp destination: %w", err)
			}

			*f = abs
		}
	}

	display := fmt.Sprintf("sftp://%s@%s", url.PathEscape(username), host)
	if port != 22 {
		display += ":" + strconv.Itoa(port)
	}

	if strings.HasPrefix(opt.Path, "/") {
		display += opt.Path
	} else {
		display += "/~/" + opt.Path
	}

	return Destination{
		kind:    "sftp",
		display: display,
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt

			return sftp.New(ctx, &o, create)
		},
	}, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
