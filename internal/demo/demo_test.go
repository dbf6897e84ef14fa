package demo

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestExportHasChatAndMedia(t *testing.T) {
	var b bytes.Buffer
	if err := WriteExport(&b, false); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	var chatText string
	for _, f := range zr.File {
		r, _ := f.Open()
		data, _ := io.ReadAll(r)
		sizes[f.Name] = len(data)
		if strings.HasSuffix(f.Name, ".txt") {
			chatText = string(data)
		}
	}
	if got := strings.Count(chatText, "\n") - strings.Count(chatText, "\nEveryone") - strings.Count(chatText, "\nOld photo"); got != Messages() {
		t.Errorf("chat has %d header lines, want %d", got, Messages())
	}
	if sizes["AUD-20240303-WA0002.wav"] != 44+8000 || !bytes.Contains(b.Bytes(), []byte("PNG")) && sizes["IMG-20240303-WA0001.png"] == 0 {
		t.Errorf("media sizes %v", sizes)
	}
}
