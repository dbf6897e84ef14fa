package main

import (
	"strings"
	"testing"

	"github.com/chatvault/chatvault/internal/testsrv"
)

// A WebDAV server whose certificate is not the one named, or that refuses the password, gets one
// clear line and the "unreachable" exit status, and nothing is written there.
func TestWebDAVRefusesWrongCertificateAndPassword(t *testing.T) {
	davs := testsrv.WebDAV(t, true)
	for _, tc := range []struct {
		name, fingerprint, password, want string
	}{
		{"another certificate", strings.Repeat("ab", 32), davs.Password, "fingerprint"},
		{"wrong password", davs.Fingerprint, "not-the-password", "refused the username or password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolate(t)
			mustCLI(t, "vault", "add", "v", davs.URL+"chats", "--option", "username="+davs.Username,
				"--option", "password="+tc.password, "--option", "fingerprint="+tc.fingerprint)
			code, _, errs := cli(t, "init", "v")
			if code != exitUnreachable || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Fatalf("init: exit %d, want %d and one line naming %q:\n%s", code, exitUnreachable, tc.want, errs)
			}
			if found := plaintextAt(davs.Dir, []string{"chats"}); found != "" {
				t.Errorf("something was written: %s", found)
			}
		})
	}
}
