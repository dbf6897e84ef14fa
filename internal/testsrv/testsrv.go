// Package testsrv starts real servers for tests, on 127.0.0.1 with random
// ports and temporary folders: an S3 server (versitygw) and an SFTP server
// (OpenSSH's sshd). A test whose server is not installed skips with a
// message saying how to install it. Servers stop when the test ends.
package testsrv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// findBinary looks for name on PATH, then in $(go env GOPATH)/bin, then in
// the extra folders given.
func findBinary(name string, extra ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}

	dirs := append([]string{}, extra...)

	if gp := goPath(); gp != "" {
		for _, d := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}

	for _, d := range dirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p
		}
	}

	return ""
}

var goPathOnce = sync.OnceValue(func() string {
	if gp := os.Getenv("GOPATH"); gp != "" {
		return gp
	}

	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}

	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go")
	}

	return ""
})

func goPath() string { return goPathOnce() }

// freePort asks the kernel for a free port on 127.0.0.1. Another process
// could take it before the server binds; callers retry on failure.
func freePort(t testing.TB) int {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}

	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	return port
}

// server is a child process that must accept TCP connections on addr.
type server struct {
	cmd    *exec.Cmd
	output *syncBuffer
	exited chan struct{}
}

// start runs cmd and waits up to timeout until addr accepts connections.
// It returns an error (with the server's output) if the process exits first.
func start(t testing.TB, cmd *exec.Cmd, addr string, timeout time.Duration) (*server, error) {
	t.Helper()

	out := &syncBuffer{}
	cmd.Stdout = out
	cmd.Stderr = out

	if err := cmd.Start(); err != nil {
		return nil, err
	}

	s := &server{cmd: cmd, output: out, exited: make(chan struct{})}

	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()

	deadline := time.Now().Add(timeout)

	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			t.Cleanup(s.stop)

			return s, nil
		}

		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited: %s", filepath.Base(cmd.Path), out.String())
		case <-time.After(50 * time.Millisecond):
		}

		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s did not listen on %s within %v: %s", filepath.Base(cmd.Path), addr, timeout, out.String())
		}
	}
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
	}

	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	if b.b.Len() > 1<<20 { // a chatty server must not grow the test's memory
		return len(p), nil
	}

	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.b.String()
}
