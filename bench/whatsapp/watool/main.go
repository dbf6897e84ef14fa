// Command watool drives the WhatsApp export parser (package wachat) from
// the command line, for benchmarks and for looking at what it makes of a
// file:
//
//	watool gen -n 1000000 -o chat.txt [-style android|ios] [-media 0.05]
//	watool parse chat.txt     count messages, print messages/s (for /usr/bin/time -v)
//	watool dump chat.txt      print the layout and every record as JSON lines
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "parse":
		err = parse(os.Args[2:])
	case "dump":
		err = dump(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "watool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: watool gen|parse|dump ...")
	os.Exit(2)
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 1000000, "messages")
	out := fs.String("o", "", "output file (default stdout)")
	style := fs.String("style", "android", "android or ios")
	media := fs.Float64("media", 0, "share of messages that reference media files (0.05 = 5%)")
	seed := fs.Int64("seed", 1, "random seed")
	fs.Parse(args)
	opts := wachat.GenOptions{Seed: *seed, MediaRate: *media}
	switch *style {
	case "android":
		opts.Style = wachat.GenAndroid
	case "ios":
		opts.Style = wachat.GenIOS
	default:
		return fmt.Errorf("unknown style %q", *style)
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := wachat.Generate(bw, *n, opts); err != nil {
		return err
	}
	return bw.Flush()
}

func open(args []string) (*os.File, wachat.Layout, error) {
	if len(args) != 1 {
		return nil, wachat.Layout{}, fmt.Errorf("want one file")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, wachat.Layout{}, err
	}
	layout, err := wachat.Scan(f, wachat.Options{})
	if err != nil {
		f.Close()
		return nil, layout, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, layout, err
	}
	return f, layout, nil
}

func parse(args []string) error {
	f, layout, err := open(args)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	n := 0
	err = wachat.Parse(f, layout, wachat.Options{}, func(*wachat.Record) error { n++; return nil })
	if err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("%d messages in %v: %.0f messages/s (parse pass only)\n", n, d.Round(time.Millisecond), float64(n)/d.Seconds())
	return nil
}

func dump(args []string) error {
	f, layout, err := open(args)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(layout); err != nil {
		return err
	}
	opts := wachat.Options{OnUnparsed: func(line int, text string) {
		enc.Encode(map[string]any{"unparsed": line, "text": text})
	}}
	return wachat.Parse(f, layout, opts, func(r *wachat.Record) error {
		return enc.Encode(struct {
			Line, EndLine int
			Time          string
			Prec          string
			Kind          string
			Author        string `json:",omitempty"`
			HeaderName    string `json:",omitempty"`
			Text          string
			Event         string             `json:",omitempty"`
			Edited        bool               `json:",omitempty"`
			Attachment    *wachat.Attachment `json:",omitempty"`
			Location      *wachat.Location   `json:",omitempty"`
			Problems      []string           `json:",omitempty"`
		}{r.Line, r.EndLine, r.Time.String(), r.Precision.String(), r.Kind.String(), r.Author, r.HeaderName, r.Text, r.Event, r.Edited, r.Attachment, r.Location, r.Problems})
	})
}
