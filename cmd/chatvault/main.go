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
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process around it, so scenario tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCommand(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var silent *silentError
	if !errors.As(err, &silent) {
		fmt.Fprintf(stderr, "chatvault: %s\n", oneLine(err))
		if g.verbose {
			fmt.Fprintf(stderr, "  detail: %+v\n", err)
		}
	}
	return exitCode(err)
}
