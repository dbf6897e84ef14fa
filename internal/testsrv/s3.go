package testsrv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// S3Server is a running versitygw S3 gateway with one empty bucket.
type S3Server struct {
	Endpoint  string // host:port, plain HTTP
	Bucket    string
	AccessKey string
	SecretKey string
	Dir       string // the posix backend's root: the bucket is Dir/Bucket
}

// S3 starts versitygw (posix backend) on 127.0.0.1 with a random port and
// a temporary folder, creates a bucket, and stops it when the test ends.
// It skips the test when versitygw is not installed.
func S3(t testing.TB) S3Server {
	t.Helper()

	bin := findBinary("versitygw")
	if bin == "" {
		t.Skip("versitygw not found: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0")
	}

	s := S3Server{
		Bucket:    "chatvault-test",
		AccessKey: "testaccess" + randomHex(4),
		SecretKey: "testsecret" + randomHex(16),
		Dir:       t.TempDir(),
	}

	// A bucket of the posix backend is a top-level folder.
	if err := os.Mkdir(filepath.Join(s.Dir, s.Bucket), 0o755); err != nil {
		t.Fatal(err)
	}

	var lastErr error

	for range 3 {
		port := freePort(t)
		s.Endpoint = "127.0.0.1:" + strconv.Itoa(port)

		cmd := exec.Command(bin,
			"--access", s.AccessKey,
			"--secret", s.SecretKey,
			"--port", s.Endpoint,
			"--quiet",
			"posix", s.Dir)
		cmd.Env = append(os.Environ(), "VGW_QUIET=true")

		if _, err := start(t, cmd, s.Endpoint, 15*time.Second); err != nil {
			lastErr = err
			continue
		}

		if err := checkBucket(s); err != nil {
			t.Fatalf("versitygw is running but bucket %s is not usable: %v", s.Bucket, err)
		}

		return s
	}

	t.Fatalf("starting versitygw: %v", lastErr)

	return S3Server{}
}

// checkBucket makes sure the gateway serves the bucket folder as a bucket
// (an unsigned HEAD answers 403 when it exists, 404 when it does not).
func checkBucket(s S3Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	code, err := headStatus(ctx, "http://"+s.Endpoint+"/"+s.Bucket)
	if err != nil {
		return err
	}

	if code == 404 {
		return fmt.Errorf("bucket not found (HTTP %d)", code)
	}

	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)

	return hex.EncodeToString(b)
}

func headStatus(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}

	resp.Body.Close()

	return resp.StatusCode, nil
}
