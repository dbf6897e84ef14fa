package testsrv

import (
	"net"
	"os"
	"strconv"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func TestS3Starts(t *testing.T) {
	s := S3(t)

	c, err := net.Dial("tcp", s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestSFTPStarts logs in with the generated key, checking the host key
// against the generated known_hosts, and opens an SFTP session.
func TestSFTPStarts(t *testing.T) {
	s := SFTP(t)

	keyData, err := os.ReadFile(s.KeyFile)
	if err != nil {
		t.Fatal(err)
	}

	signer, err := ssh.ParsePrivateKey(keyData)
	if err != nil {
		t.Fatal(err)
	}

	hostKeys, err := knownhosts.New(s.KnownHosts)
	if err != nil {
		t.Fatal(err)
	}

	client, err := ssh.Dial("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), &ssh.ClientConfig{
		User:            s.User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()

	if err := sess.RequestSubsystem("sftp"); err != nil {
		t.Fatal(err)
	}
}
