package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/viewer"
)

// openSnapshotSource opens a snapshot of a configured vault as a dump, for browsing a backup
// without restoring it; the returned func releases it. The vault's command code sets it (from an
// init function) so that this file does not depend on the vault; until then --from says so.
var openSnapshotSource func(ctx context.Context, vaultName, snapshot string, g *globals) (dump.Source, func(), error)

type viewOptions struct {
	listen    string
	noBrowser bool
	from      string
	snapshot  string
}

func newViewCommand(g *globals) *cobra.Command {
	o := &viewOptions{}
	c := &cobra.Command{
		Use:   "view",
		Short: "Read and search your chats in the browser",
		Long: `Serve the archive to your browser: the conversation list, chats that load older and newer
messages as you scroll, jump to a date, search across everything with the hits highlighted,
photos, videos and voice notes (WeChat's SILK voice notes converted to WAV as they play), and
WeChat's shared articles, transfers and forwarded chat histories.

The viewer listens on 127.0.0.1 at a random port, prints its address (which carries a random
access token; anything without it is refused) and opens your browser. It runs until Ctrl-C.

With --from, it shows a backup instead, straight from the vault, without restoring it:
  chatvault view --from usb --snapshot latest
A chat keeps its address (a link opens the same chat as in the live viewer); a backup's chat
list shows months until a chat is opened, then its days.

--listen chooses the address. Anything but a loopback address (127.0.0.1, ::1, localhost) lets
other machines reach the viewer; only the token then stands between them and your chats.

Examples:
  chatvault view
  chatvault view --no-browser --listen 127.0.0.1:8080` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runView(cmd.Context(), g, o) },
	}
	f := c.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on")
	f.BoolVar(&o.noBrowser, "no-browser", false, "do not open a browser, only print the address")
	f.StringVar(&o.from, "from", "", "show a backup from this vault instead of the archive")
	f.StringVar(&o.snapshot, "snapshot", "latest", "with --from: the snapshot to show (ID or latest)")
	return c
}

func runView(ctx context.Context, g *globals, o *viewOptions) error {
	src, release, err := viewSource(ctx, g, o)
	if err != nil {
		return err
	}
	defer release()
	defer src.Close()
	srv, err := viewer.Listen(src, viewer.Options{Addr: o.listen, Logf: func(format string, args ...any) {
		if g.verbose {
			fmt.Fprintf(g.stderr, format+"\n", args...)
		}
	}})
	if err != nil {
		return err
	}
	if !viewer.IsLoopback(srv.Addr().String()) {
		fmt.Fprintf(g.stderr, "WARNING: the viewer listens on %s, which other machines can reach.\n"+
			"WARNING: anyone who gets the address below (with its token) can read your chats.\n", srv.Addr())
	}
	fmt.Fprintf(g.stdout, "chatvault view: showing %s\n", src.Describe())
	fmt.Fprintf(g.stdout, "Open %s\n", srv.URL())
	fmt.Fprintln(g.stdout, "Press Ctrl-C to stop.")
	if !o.noBrowser {
		openBrowser(srv.URL())
	}
	err = srv.Serve(ctx)
	if ctx.Err() != nil {
		return nil // Ctrl-C is how the viewer ends
	}
	return err
}

func viewSource(ctx context.Context, g *globals, o *viewOptions) (viewer.Source, func(), error) {
	if o.from == "" {
		a, err := g.openExistingArchive(ctx)
		if err != nil {
			return nil, nil, err
		}
		return viewer.NewArchiveSource(a), func() { a.Close() }, nil
	}
	if openSnapshotSource == nil {
		return nil, nil, errors.New("viewing a backup (--from): vault support is not built in yet")
	}
	ds, release, err := openSnapshotSource(ctx, o.from, o.snapshot, g)
	if err != nil {
		return nil, nil, err
	}
	src, err := viewer.NewDumpSource(ctx, ds, fmt.Sprintf("snapshot %s of vault %s", o.snapshot, o.from))
	if err != nil {
		release()
		return nil, nil, err
	}
	return src, release, nil
}

// openBrowser starts the system's browser on url, quietly: a machine without one (a server, a
// container) just has the printed address.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return
		}
		p, err := exec.LookPath("xdg-open")
		if err != nil {
			return
		}
		cmd = exec.Command(p, url)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
