package testsrv

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SFTPServer is a running sshd serving SFTP for the current user.
type SFTPServer struct {
	URL        string // sftp://user@127.0.0.1:port/<Dir>/vault
	Host       string
	Port       int
	User       string
	KeyFile    string // the client's private key (OpenSSH format, no passphrase)
	KnownHosts string // a known_hosts file with the server's host key
	Dir        string // a folder on the server the user can write
}

// SFTP starts Debian's OpenSSH sshd as a non-daemon on 127.0.0.1 with a
// random port, its own host key and config, and an authorized key made
// for the test. It runs as the current user (root or not): with
// StrictModes and PAM off, sshd accepts the temp-folder key files and,
// when not root, serves only the user it runs as. It stops when the test
// ends, and skips the test when sshd is not installed.
func SFTP(t testing.TB) SFTPServer {
	t.Helper()

	bin := findBinary("sshd", "/usr/sbin", "/usr/local/sbin")
	if bin == "" {
		t.Skip("sshd not found: apt-get install openssh-server")
	}

	cur, err := user.Current()
	if err != nil {
		t.Fatalf("current user: %v", err)
	}

	dir := t.TempDir()
	etc := filepath.Join(dir, "etc")
	data := filepath.Join(dir, "data")

	for _, d := range []string{etc, data} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}

	hostKey, hostPub := writeKey(t, filepath.Join(etc, "host_ed25519"))
	clientKey, clientPub := writeKey(t, filepath.Join(etc, "client_ed25519"))

	authorized := filepath.Join(etc, "authorized_keys")
	if err := os.WriteFile(authorized, ssh.MarshalAuthorizedKey(clientPub), 0o600); err != nil {
		t.Fatal(err)
	}

	if os.Geteuid() == 0 {
		// sshd running as root insists on its privilege separation folder.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("sshd needs /run/sshd: %v", err)
		}
	}

	var lastErr error

	for range 3 {
		port := freePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)

		cfg := filepath.Join(etc, "sshd_config")
		config := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile %s
AuthorizedKeysFile %s
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers %s
Subsystem sftp internal-sftp
LogLevel ERROR
`, port, hostKey, filepath.Join(etc, "sshd.pid"), authorized, cur.Username)

		if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}

		// -D: stay in the foreground; -e: log to stderr.
		cmd := exec.Command(bin, "-D", "-e", "-f", cfg)

		if _, err := start(t, cmd, addr, 15*time.Second); err != nil {
			lastErr = err
			continue
		}

		knownHostsFile := filepath.Join(etc, "known_hosts")
		line := knownhosts.Line([]string{knownhosts.Normalize(addr)}, hostPub) + "\n"

		if err := os.WriteFile(knownHostsFile, []byte(line), 0o600); err != nil {
			t.Fatal(err)
		}

		return SFTPServer{
			URL:        fmt.Sprintf("sftp://%s@%s%s", cur.Username, addr, filepath.Join(data, "vault")),
			Host:       "127.0.0.1",
			Port:       port,
			User:       cur.Username,
			KeyFile:    clientKey,
			KnownHosts: knownHostsFile,
			Dir:        data,
		}
	}

	t.Fatalf("starting sshd: %v", lastErr)

	return SFTPServer{}
}

// writeKey makes an ed25519 key pair and writes the private key in OpenSSH
// format (mode 0600, as ssh and sshd require).
func writeKey(t testing.TB, path string) (string, ssh.PublicKey) {
	t.Helper()

	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}

	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}

	return path, sshPub
}
