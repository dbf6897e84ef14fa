// Command shoot opens chatvault pages in headless Chromium and saves PNG screenshots of them, for
// the documentation (bench/screenshots/run.sh drives it).
//
//	shoot -out docs/screenshots NAME URL TITLE [NAME URL TITLE ...]
//
// A viewer URL (http) is the token address `chatvault view` prints: the conversation whose title
// contains TITLE is opened from the list. An export URL (file) is the export's index.html: the
// conversation's first page is followed from it. Each shot is NAME.png, re-encoded with the best
// PNG compression.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/internal/browsertest"
)

func main() {
	out := flag.String("out", "docs/screenshots", "folder for the PNG files")
	width := flag.Int64("width", 1000, "viewport width in CSS pixels")
	height := flag.Int64("height", 700, "viewport height in CSS pixels")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 || len(args)%3 != 0 {
		fmt.Fprintln(os.Stderr, "usage: shoot [-out DIR] NAME URL TITLE [NAME URL TITLE ...]")
		os.Exit(2)
	}
	if err := run(*out, *width, *height, args); err != nil {
		fmt.Fprintln(os.Stderr, "shoot:", err)
		os.Exit(1)
	}
}

func run(out string, width, height int64, args []string) error {
	exe := browsertest.Path()
	if exe == "" {
		return fmt.Errorf("chromium not found: apt-get install chromium (or set CHATVAULT_CHROMIUM)")
	}
	profile, err := os.MkdirTemp("", "shoot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for i := 0; i < len(args); i += 3 {
		name, url, title := args[i], args[i+1], args[i+2]
		if err := shoot(ctx, filepath.Join(out, name+".png"), url, title); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func shoot(ctx context.Context, file, url, title string) error {
	q := strconv.Quote(title)
	list, open := `#convs li`, `Array.from(document.querySelectorAll('#convs li')).find(li => li.textContent.includes(`+q+`)).click()`
	if strings.HasPrefix(url, "file:") {
		// An export: follow the conversation's link from the index, as a reader would click it.
		list, open = `li.conv`, `Array.from(document.querySelectorAll('li.conv a.title')).find(a => a.textContent.includes(`+q+`)).href`
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return err
	}
	if err := waitFor(ctx, `document.querySelector(`+strconv.Quote(list)+`) !== null`); err != nil {
		return err
	}
	if strings.HasPrefix(url, "file:") {
		page, err := chromedp.Run(ctx, chromedp.Evaluate[string](open))
		if err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			return err
		}
	} else if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](open)); err != nil {
		return err
	}
	if err := waitFor(ctx, `document.querySelectorAll('#messages .msg').length > 0 && document.readyState === 'complete'`); err != nil {
		return err
	}
	time.Sleep(400 * time.Millisecond) // let scrolling to the latest message settle
	raw, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return err
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		return err
	}
	if b.Len() > len(raw) {
		b.Reset()
		b.Write(raw)
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}

func waitFor(ctx context.Context, expr string) error {
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		return fmt.Errorf("waiting for %s: %w", expr, err)
	}
	return nil
}
