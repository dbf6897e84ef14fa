package vault

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/internal/testsrv"
)

// secretTree is a chat dump whose names and contents carry strings that
// must never appear at a destination in readable form.
const (
	plainName    = "WOMBAT-PRIVATE-CHAT"
	plainContent = "ZEBRAFISH-SECRET-7731 meet me at the old mill at midnight"
)

func secretTree() treeSpec {
	s := chatTree(2, 3, 3, 200<<10)

	var text []byte
	for range 300 {
		text = append(text, []byte(`{"text":"`+plainContent+`"}`+"\n")...)
	}

	s["conversations/telegram/"+plainName+"/2024/2024-02.jsonl"] = fileSpec{data: text, mtime: s["manifest.json"].mtime}
	s["conversations/telegram/"+plainName+"/meta.json"] = fileSpec{data: []byte(`{"title":"` + plainName + `"}`), mtime: s["manifest.json"].mtime}

	return s
}

// assertNoPlaintext reads every file under each folder and fails if any
// needle occurs in one.
func assertNoPlaintext(t *testing.T, needles []string, dirs ...string) {
	t.Helper()

	n := 0

	for _, dir := range dirs {
		for _, f := range filesUnder(t, dir) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}

			n++

			for _, needle := range needles {
				if needle != "" && bytes.Contains(data, []byte(needle)) {
					t.Errorf("%s contains %q in readable form", f, needle)
				}
			}
		}
	}

	if n == 0 {
		t.Fatalf("no files found under %v", dirs)
	}
}

func secretsOf(tv testVault, v *Vault) []string {
	return []string{
		plainName, plainContent[:20], testPassword,
		tv.recovery, strings.ReplaceAll(tv.recovery, " ", ""),
		v.secret,
	}
}

func TestNoPlaintextLocal(t *testing.T) {
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec := secretTree()

	s := backup(t, v, spec, nil)
	checkSnapshot(t, v, s.ID, spec)

	assertNoPlaintext(t, secretsOf(tv, v), tv.dir, tv.opts.CacheDir)
}

// exerciseRemote runs the core of the lifecycle against a remote vault.
func exerciseRemote(t *testing.T, tv testVault) *Vault {
	t.Helper()

	ctx := context.Background()
	v := tv.open(t, Password(testPassword))
	spec := secretTree()

	s1 := backup(t, v, spec, nil)
	checkSnapshot(t, v, s1.ID, spec)

	var o opens

	s2 := backup(t, v, spec, &o)
	if len(o.get()) != 0 || s2.CachedFiles != int64(len(spec)) {
		t.Fatalf("unchanged backup opened %v", o.get())
	}

	if _, err := Open(ctx, tv.dest, Password("wrong"), tv.opts); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}

	rv := tv.open(t, RecoveryKey(tv.recovery))
	checkSnapshot(t, rv, s2.ID, spec)

	rep, err := v.Verify(ctx, VerifyOptions{ReadData: true})
	if err != nil || !rep.OK() || len(rep.Snapshots) != 2 {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	return v
}

func TestS3Versitygw(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	srv := testsrv.S3(t)

	dest, err := ParseDestination("s3://"+srv.Bucket+"/vaults/family?tls=false&endpoint="+srv.Endpoint, map[string]string{
		"access-key-id":     srv.AccessKey,
		"secret-access-key": srv.SecretKey,
	})
	if err != nil {
		t.Fatal(err)
	}

	if strings.Contains(dest.String(), srv.SecretKey) {
		t.Fatalf("destination prints its secret: %s", dest)
	}

	tv := initVault(t, dest, "")
	v := exerciseRemote(t, tv)

	needles := append(secretsOf(tv, v), srv.SecretKey)
	assertNoPlaintext(t, needles, srv.Dir, tv.opts.CacheDir)

	// The same bucket without the prefix is not a vault; a missing bucket
	// is "nothing here" too, a dead server is unreachable.
	other, _ := ParseDestination("s3://"+srv.Bucket+"/elsewhere?tls=false&endpoint="+srv.Endpoint, map[string]string{
		"access-key-id": srv.AccessKey, "secret-access-key": srv.SecretKey,
	})
	if _, err := Open(context.Background(), other, Password(testPassword), tv.opts); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("open an empty prefix: %v", err)
	}
}

func TestSFTPOpenSSH(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	srv := testsrv.SFTP(t)

	dest, err := ParseDestination(srv.URL, map[string]string{
		"key-file":    srv.KeyFile,
		"known-hosts": srv.KnownHosts,
	})
	if err != nil {
		t.Fatal(err)
	}

	tv := initVault(t, dest, "")
	v := exerciseRemote(t, tv)

	assertNoPlaintext(t, secretsOf(tv, v), srv.Dir, tv.opts.CacheDir)

	if free, ok := v.FreeSpace(context.Background()); !ok || free <= 0 {
		t.Errorf("sftp free space: %d %v (OpenSSH supports statvfs)", free, ok)
	}

	// A server whose host key is not the known one is refused.
	bad, _ := ParseDestination(srv.URL, map[string]string{
		"key-file":    srv.KeyFile,
		"known-hosts": writeTemp(t, "known_hosts", "[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1AbQ8BPjS4ITxn0rGHzrpdtKGkgnnOlZlEbJ1ZyTIV\n"),
	})
	if _, err := Open(context.Background(), bad, Password(testPassword), tv.opts); !errors.Is(err, ErrUnreachable) {
		t.Errorf("unknown host key: %v", err)
	}
}

// TestUnreachable: a server that does not answer is ErrUnreachable, at
// once (not after kopia's retries).
func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	addr := l.Addr().String()
	l.Close() // nothing listens there now

	dest, err := ParseDestination("s3://bucket/x?tls=false&endpoint="+addr, map[string]string{"access-key-id": "a", "secret-access-key": "b"})
	if err != nil {
		t.Fatal(err)
	}

	t0 := time.Now()

	_, err = Open(context.Background(), dest, Password(testPassword), testOpenOptions(t))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("dead server: %v", err)
	}

	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()

	p := t.TempDir() + "/" + name
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}

	return p
}
