package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDestination(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "envsecret-0123456789")
	t.Setenv("CHATVAULT_SFTP_KEYFILE", "/keys/id_test")
	t.Setenv("CHATVAULT_SFTP_KNOWN_HOSTS", "/keys/known_hosts")
	t.Setenv("WEBDAV_PASSWORD", "davsecret-42")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "/keys/gcs.json")
	t.Setenv("AZURE_STORAGE_ACCOUNT", "acct")
	t.Setenv("AZURE_STORAGE_KEY", "azsecret-99")
	t.Setenv("B2_ACCOUNT_ID", "b2id")
	t.Setenv("B2_APPLICATION_KEY", "b2secret-77")

	cwd, _ := os.Getwd()

	cases := []struct {
		in, kind, display string
	}{
		{"/mnt/backup/chats", "filesystem", "/mnt/backup/chats"},
		{"vault-here", "filesystem", filepath.Join(cwd, "vault-here")},
		{"file:///mnt/x", "filesystem", "/mnt/x"},
		{"s3://bucket", "s3", "s3://bucket/"},
		{"s3://bucket/a/b/?endpoint=127.0.0.1:9000&tls=false&region=eu", "s3", "s3://bucket/a/b/?endpoint=127.0.0.1%3A9000&region=eu&tls=false"},
		{"s3://bucket/p?secret-access-key=inline-secret-1", "s3", "s3://bucket/p/"},
		{"sftp://bob@nas.local/srv/backup", "sftp", "sftp://bob@nas.local/srv/backup"},
		{"sftp://bob:pw-secret-5@nas.local:2222/~/backup", "sftp", "sftp://bob@nas.local:2222/~/backup"},
		{"webdavs://alice@cloud.example/remote.php/dav/files/alice/vault", "webdav", "webdavs://alice@cloud.example/remote.php/dav/files/alice/vault"},
		{"webdav://carol:pass-secret-3@10.0.0.2/dav", "webdav", "webdav://carol@10.0.0.2/dav"},
		{"gcs://bucket/pre", "gcs", "gcs://bucket/pre/"},
		{"azure://container/pre", "azure", "azure://container/pre/?account=acct"},
		{"b2://bucket/pre", "b2", "b2://bucket/pre/"},
		{"rclone://gdrive:backups/chats", "rclone", "rclone://gdrive:backups/chats"},
		{"rclone://:local:/mnt/x", "rclone", "rclone://:local:/mnt/x"},
	}

	for _, c := range cases {
		d, err := ParseDestination(c.in, nil)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}

		if d.Kind() != c.kind || d.String() != c.display {
			t.Errorf("%s: got %s %q, want %s %q", c.in, d.Kind(), d.String(), c.kind, c.display)
		}

		for _, secret := range []string{"envsecret", "inline-secret", "pw-secret", "davsecret", "pass-secret", "azsecret", "b2secret"} {
			for _, s := range []string{d.String(), fmt.Sprintf("%v %+v %#v %s", d, d, d, d)} {
				if strings.Contains(s, secret) {
					t.Errorf("%s: printed form %q contains a credential", c.in, s)
				}
			}
		}

		// The printed form parses back to the same destination.
		if c.kind != "filesystem" || filepath.IsAbs(c.in) {
			d2, err := ParseDestination(d.String(), nil)
			if err != nil || d2.String() != d.String() {
				t.Errorf("%s: round trip %q → %q, %v", c.in, d.String(), d2.String(), err)
			}
		}
	}
}

func TestParseDestinationErrors(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("HOME", t.TempDir()) // no ~/.ssh keys
	t.Setenv("CHATVAULT_SFTP_KEYFILE", "")
	t.Setenv("CHATVAULT_SFTP_PASSWORD", "")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "")

	for _, in := range []string{
		"", "ftp://host/x", "s3://", "s3://bucket/x", "s3://b?tls=maybe&access-key-id=a&secret-access-key=b",
		"sftp:///path", "sftp://host", "sftp://u@host:99999/x", "sftp://u@host/x",
		"gcs://bucket", "azure://", "b2://bucket", "rclone://nocolon", "webdav:///x",
	} {
		if d, err := ParseDestination(in, nil); err == nil {
			t.Errorf("%q parsed as %s", in, d)
		}
	}

	// Options supply what the environment lacks, and win over it.
	d, err := ParseDestination("s3://bucket/x", map[string]string{"access-key-id": "a", "secret-access-key": "b", "endpoint": "minio:9000"})
	if err != nil || d.String() != "s3://bucket/x/?endpoint=minio%3A9000" {
		t.Errorf("options: %v %v", d, err)
	}
}

func TestRecoveryKey(t *testing.T) {
	seen := map[string]bool{}

	for range 200 {
		k, err := newRecoveryKey()
		if err != nil {
			t.Fatal(err)
		}

		groups := strings.Fields(k)
		if len(groups) != 16 {
			t.Fatalf("%q: %d groups", k, len(groups))
		}

		canon, err := ParseRecoveryKey(k)
		if err != nil || len(canon) != 64 || seen[canon] {
			t.Fatalf("%q: %q %v", k, canon, err)
		}

		seen[canon] = true

		// Other ways people type it.
		for _, typed := range []string{canon, strings.Join(groups, "-"), " " + strings.Join(groups, "\n") + "\n"} {
			if c, err := ParseRecoveryKey(typed); err != nil || c != canon {
				t.Errorf("%q: %v", typed, err)
			}
		}

		// Every single wrong digit and every swap of two different
		// neighbours is caught, always (the Damm check digit).
		for i := range 64 {
			for d := byte(1); d < 10; d++ {
				b := []byte(canon)
				b[i] = '0' + (b[i]-'0'+d)%10

				if _, err := ParseRecoveryKey(string(b)); !errors.Is(err, ErrInvalidRecoveryKey) {
					t.Fatalf("typo at %d in %s accepted", i, canon)
				}
			}

			if i < 63 && canon[i] != canon[i+1] {
				b := []byte(canon)
				b[i], b[i+1] = b[i+1], b[i]

				if _, err := ParseRecoveryKey(string(b)); !errors.Is(err, ErrInvalidRecoveryKey) {
					t.Fatalf("swap at %d in %s accepted", i, canon)
				}
			}
		}
	}

	for _, bad := range []string{"", "123", strings.Repeat("1", 63), strings.Repeat("1", 65), strings.Repeat("x", 64)} {
		if _, err := ParseRecoveryKey(bad); !errors.Is(err, ErrInvalidRecoveryKey) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzParseRecoveryKey(f *testing.F) {
	k, _ := newRecoveryKey()
	f.Add(k)
	f.Add(strings.Repeat("0", 64))
	f.Add("1234-5678")

	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseRecoveryKey(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidRecoveryKey) {
				t.Fatalf("unexpected error kind: %v", err)
			}

			return
		}

		if len(c) != 64 {
			t.Fatalf("canonical form %q", c)
		}

		if again, err := ParseRecoveryKey(formatRecoveryKey(c)); err != nil || again != c {
			t.Fatalf("display form does not round-trip: %v", err)
		}
	})
}

func FuzzParseDestination(f *testing.F) {
	for _, s := range []string{
		"/mnt/x", "s3://b/p?endpoint=h:1&tls=false", "sftp://u:p@h:22/x", "webdavs://u:p@h/d",
		"gcs://b/p", "azure://c/p", "b2://b/p", "rclone://r:p", "file:///x",
	} {
		f.Add(s, "secret-value-1")
	}

	f.Fuzz(func(t *testing.T, s, secret string) {
		opts := map[string]string{
			"access-key-id": "a", "secret-access-key": secret, "password": secret, "key": secret,
			"key-file": "/k", "known-hosts": "/kh", "credentials-file": "/c.json", "account": "acct", "key-id": "id",
		}

		d, err := ParseDestination(s, opts)
		if err != nil {
			return
		}

		if len(secret) >= 8 && strings.Contains(d.String(), secret) && !strings.Contains(s, secret) {
			t.Fatalf("%q prints a secret from the options: %s", s, d)
		}
	})
}

func TestUnknownSettingsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		dest    string
		options map[string]string
		want    string // "" = accepted
	}{
		{"s3://b/p", map[string]string{"access_key_id": "a", "Secret-Access-Key": "s"}, ""},
		{"s3://b/p", map[string]string{"access-key": "a", "secret-access-key": "s"}, `unknown setting "access-key" for s3 (known: endpoint, region`},
		{"s3://b/p?endpont=minio:9000", map[string]string{"access-key-id": "a", "secret-access-key": "s"}, `unknown setting "endpont"`},
		{"sftp://me@nas/x", map[string]string{"key_file": "/k", "known_hosts": "/kh"}, ""},
		{"sftp://me@nas/x", map[string]string{"keyfile": "/k"}, `unknown setting "keyfile" for sftp`},
		{"webdavs://nas/x", map[string]string{"fingerprint": "ab"}, ""},
		{"/mnt/usb/chatvault", map[string]string{"password": "x"}, "takes no settings"},
	} {
		_, err := ParseDestination(tc.dest, tc.options)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s %v: %v", tc.dest, tc.options, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s %v: error %v, want one containing %q", tc.dest, tc.options, err, tc.want)
		}
	}
}
