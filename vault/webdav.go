package vault

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/webdav"
	"github.com/studio-b12/gowebdav"
)

// parseWebDAV handles webdav://host/path (plain HTTP) and webdavs://host/path
// (HTTPS), e.g. Nextcloud or a NAS's WebDAV share.
func parseWebDAV(u *url.URL, o settings) (Destination, error) {
	if u.Host == "" {
		return Destination{}, fmt.Errorf("webdav destination: missing host (webdavs://host/path)")
	}

	scheme := "http"
	if u.Scheme == "webdavs" {
		scheme = "https"
	}

	username := u.User.Username()
	if username == "" {
		username = o.get("username", "WEBDAV_USERNAME")
	}

	password, _ := u.User.Password()
	if password == "" {
		password = o.get("password", "WEBDAV_PASSWORD")
	}

	target := url.URL{Scheme: scheme, Host: u.Host, Path: u.Path}

	opt := webdav.Options{
		URL:                                 target.String(),
		Username:                            username,
		Password:                            password,
		TrustedServerCertificateFingerprint: o.get("fingerprint"),
		// Servers differ in whether PUT is atomic; write-then-move is safe everywhere.
		AtomicWrites: false,
	}

	shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if username != "" {
		shown.User = url.User(username)
	}

	return Destination{
		kind:    "webdav",
		display: shown.String() + publicQuery(map[string]string{"fingerprint": opt.TrustedServerCertificateFingerprint}),
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt
			if create {
				if err := ensureCollection(target, username, password, o.TrustedServerCertificateFingerprint); err != nil {
					return nil, fmt.Errorf("creating folder %s on the WebDAV server: %w", target.Path, err)
				}
			}

			return webdav.New(ctx, &o, create)
		},
	}, nil
}

// ensureCollection creates the vault's folder (and its parents) on the server before init:
// kopia lists the folder first, and a WebDAV server answers 404 for one that is not there yet.
func ensureCollection(target url.URL, username, password, fingerprint string) error {
	if strings.Trim(target.Path, "/") == "" {
		return nil
	}

	origin := url.URL{Scheme: target.Scheme, Host: target.Host, Path: "/"}
	c := gowebdav.NewClient(origin.String(), username, password)

	if fingerprint != "" {
		c.SetTransport(fingerprintTransport(fingerprint))
	}

	err := c.MkdirAll(target.Path, 0o700)
	if gowebdav.IsErrCode(err, http.StatusUnauthorized) || gowebdav.IsErrCode(err, http.StatusForbidden) {
		return fmt.Errorf("the server refused the username or password: %w", err)
	}

	return err
}

// fingerprintTransport trusts exactly one server certificate, named by the SHA-256 of its
// bytes (a NAS's self-signed certificate), as kopia's own WebDAV client does.
func fingerprintTransport(fingerprint string) http.RoundTripper {
	want := strings.ToLower(fingerprint)
	t := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert
	t.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS12,
		// No chain to verify: the certificate is checked by its fingerprint below.
		InsecureSkipVerify: true, //nolint:gosec
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			for _, c := range raw {
				sum := sha256.Sum256(c)
				if hex.EncodeToString(sum[:]) == want {
					return nil
				}
			}

			return fmt.Errorf("the server's certificate does not have the SHA-256 fingerprint %s", fingerprint)
		},
	}

	return t
}
