// Package browsertest starts Debian's Chromium headless through chromedp for tests that must see
// pages the way a person's browser does: what renders, what runs and what does not. A test whose
// machine has no Chromium skips, saying how to install it. Screenshots go to an artifacts folder
// so a failing run (or CI) leaves pictures to look at.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds the browser: $CHATVAULT_CHROMIUM, then Debian's chromium, then other usual names.
func Path() string {
	if p := os.Getenv("CHATVAULT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a fresh headless browser for the test (its own empty profile, no network services
// of its own) and returns a tab context that ends with the test.
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Path()
	if exe == "" {
		t.Skip("chromium not found: apt-get install chromium (or set CHATVAULT_CHROMIUM)")
	}
	profile := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	// Start the browser now so a broken installation fails here, with a clear message.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// ArtifactsDir is where screenshots go: $CHATVAULT_ARTIFACTS/<test name>, or
// testdata/artifacts/<test name> in the test's package (ignored by git).
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("CHATVAULT_ARTIFACTS")
	if root == "" {
		root = filepath.Join("testdata", "artifacts")
	}
	dir := filepath.Join(root, safeName(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

// Screenshot saves what the window shows (1200x900) as <artifacts>/<name>.png and logs the
// path. A viewport, not the full page: a page of a thousand messages would be a picture tens of
// thousands of pixels tall.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(ArtifactsDir(t), safeName(name)+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	t.Logf("screenshot: %s", p)
	return p
}

// Eval evaluates a JavaScript expression in the page (awaiting it when it is a promise) and
// decodes its value, failing the test on an error.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// WaitFor polls a JavaScript expression until it is truthy, failing the test after timeout.
func WaitFor(t testing.TB, ctx context.Context, expr string, timeout time.Duration) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		_, file, line, _ := runtime.Caller(1)
		t.Fatalf("%s:%d: waiting for %s: %v", filepath.Base(file), line, expr, err)
	}
}
