package wachat

import (
	"bufio"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// WhatsApp writes UTF-8, but a chat opened and saved again in Windows Notepad ("Unicode") is
// UTF-16 with a byte-order mark. Such input is decoded to UTF-8 on the way in; anything else
// passes through untouched (and without a copy).
func utf8Input(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	bom, _ := br.Peek(2)
	if len(bom) == 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF) {
		return transform.NewReader(br, unicode.BOMOverride(unicode.UTF8.NewDecoder()))
	}
	return br
}
