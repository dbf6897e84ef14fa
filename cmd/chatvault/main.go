// Command chatvault keeps your chat history: it imports WhatsApp, Telegram, WeChat and other
// messengers' exports into one archive, backs it up encrypted to drives and cloud storage, restores
// it on a new machine, and lets you read, search and export it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise: the garbage collector
// works harder near it instead of letting the heap double, which keeps peak memory of imports,
// backups and restores of any size under 256 MB (SQLite's caches, the vault's mapped indexes
// and the key derivation come on top of the heap). Measured on the 1,000,000-message benchmark:
// a restore peaked at 238-255 MB with 160 MiB and 225 MB with this; a first backup at 219-234 MB
// and 208-219 MB, no slower.
const memoryLimit = 128 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	// For developers measuring a command: a CPU profile, or a trace of which goroutine waits on
	// which.
	for _, rec := range []struct {
		env   string
		start func(io.Writer) error
		stop  func()
	}{{"CHATVAULT_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile}, {"CHATVAULT_TRACE", trace.Start, trace.Stop}} {
		if p := os.Getenv(rec.env); p != "" {
			if f, err := os.Create(p); err == nil && rec.start(f) == nil {
				code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
				rec.stop()
				f.Close()
				os.Exit(code)
			}
		}
	}
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if p := os.Getenv("CHATVAULT_MEMPROFILE"); p != "" { // the heap at the end, for the same developers
		if f, err := os.Create(p); err == nil {
			runtime.GC() // what is still referenced, not what awaits collection
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	os.Exit(code)
}

// run is main without the process around it, so scenario tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &writeTracker{w: stdout}
	g := &globals{stdin: stdin, stdout: out, stderr: stderr, started: time.Now()}
	root := newRootCommand(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(out)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	var silent *silentError
	if !errors.As(err, &silent) {
		fmt.Fprintf(stderr, "chatvault: %s\n", oneLine(err))
		if g.verbose {
			fmt.Fprintf(stderr, "  detail: %+v\n", err)
		}
		if wantsJSON(cmd, args) && !out.wrote {
			path := ""
			if errors.Is(err, archive.ErrBusy) {
				path, _ = g.archivePath()
			}
			printJSON(stdout, failureReport{newFailure(err, code, path)})
		}
	}
	return code
}
