// Command gen writes a generated conversation into an archive for the export benchmarks:
//
//	go run ./bench/export/gen -archive /tmp/bench-archive -n 1000000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/chatvault/chatvault/archive"
	exportbench "github.com/chatvault/chatvault/bench/export"
)

func main() {
	dir := flag.String("archive", "", "archive directory to write into (created when missing)")
	n := flag.Int("n", 1_000_000, "messages to generate")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "gen: -archive is required")
		os.Exit(2)
	}
	ctx := context.Background()
	a, err := archive.Open(ctx, *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	defer a.Close()
	start := time.Now()
	id, err := exportbench.Generate(ctx, a, exportbench.Options{Messages: *n})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("generated %d messages in conversation %d in %s\n", *n, id, time.Since(start).Round(time.Millisecond))
}
