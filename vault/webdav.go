package vault

import (
	"context"
	"fmt"
	"net/url"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/webdav"
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

			return webdav.New(ctx, &o, create)
		},
	}, nil
}
