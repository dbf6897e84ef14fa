package main

import (
	"archive/zip"
	"bytes"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdZip writes a zip for a scenario: `zip OUT NAME=FILE...` stores FILE under NAME (which may be
// hostile: ../x, /etc/x); `zip -bomb OUT` writes one small entry that unpacks to 300 MB.
func cmdZip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: zip [-bomb] OUT [NAME=FILE...]")
	}
	bomb := args[0] == "-bomb"
	if bomb {
		args = args[1:]
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if bomb {
		w, err := zw.Create("_chat.txt")
		ts.Check(err)
		zeros := make([]byte, 1<<20)
		for i := 0; i < 300; i++ {
			_, err := w.Write(zeros)
			ts.Check(err)
		}
	}
	for _, a := range args[1:] {
		name, file, ok := strings.Cut(a, "=")
		if !ok {
			ts.Fatalf("zip: %q is not NAME=FILE", a)
		}
		w, err := zw.Create(name)
		ts.Check(err)
		_, err = w.Write([]byte(ts.ReadFile(file)))
		ts.Check(err)
	}
	ts.Check(zw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o600))
}
