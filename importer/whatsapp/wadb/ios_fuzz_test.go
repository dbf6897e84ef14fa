package wadb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// receiptSeeds are ZRECEIPTINFO blobs of every layout ios_receipt.go reads, and broken ones.
func receiptSeeds() [][]byte {
	react := pb(7, pb(1, pb(1, "RID", 2, alice, 3, "👍", 4, 1715938200000)), 7, pb(2, pb(1, "RID", 2, "🙏", 3, 1715938200)))
	poll := pb(8, pb(2, "Q?", 3, pb(1, "A"), 3, pb(1, "B"), 5, pb(1, 0, 4, alice), 5, pb(1, []byte{0, 1, 63, 64}, 4, "1@lid"), 6, pb(1, 1)))
	return [][]byte{
		react, poll, react[:len(react)-3], poll[:7],
		{0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f},                                               // field 7, 4 GiB long
		{0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80},                                   // a length that never ends
		append([]byte{0x3a, 0x80, 0x80, 0x04}, bytes.Repeat([]byte{0x0a, 0x00}, 1<<15)...), // 32,768 empty entries
		{0x3b, 0x3c}, // a group start and an end
		pb(7, pb(1, pb(3, string([]byte{0xff, 0xfe})))),
	}
}

// FuzzReceipt runs the ZRECEIPTINFO reader over any bytes: an error or a bounded result, never
// a panic.
func FuzzReceipt(f *testing.F) {
	for _, b := range receiptSeeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rc, err := parseReceipt(b)
		if err != nil {
			return
		}
		if len(rc.reactions) > maxReactions || len(rc.votes) > maxPollVotes || (rc.poll != nil && len(rc.poll.Options) > maxPollOptions) {
			t.Fatalf("unbounded result: %d reactions, %d votes", len(rc.reactions), len(rc.votes))
		}
		for _, v := range rc.votes {
			for _, o := range v.options {
				if o < 0 || o >= maxPollOptions {
					t.Fatalf("option index %d", o)
				}
			}
		}
	})
}

// FuzzIOSSidecars runs the iPhone importer on a good ChatStorage.sqlite beside a hostile
// CallHistory.sqlite and LID.sqlite (or raw bytes in their place): the import ends with nil or
// one clear line, never a panic.
func FuzzIOSSidecars(f *testing.F) {
	for _, ddl := range append(append([]string(nil), callDDL...), lidDDL...) {
		f.Add(ddl, "777@lid", int64(1), []byte("491533333333@s.whatsapp.net"), false)
	}
	f.Add(`CREATE TABLE ZWACDCALLEVENT (Z_PK TEXT, ZDATE BLOB, Z1CALLEVENTS TEXT, ZDURATION TEXT, ZOUTCOME BLOB)`, "1e400", int64(-1), bytes.Repeat([]byte{0xff}, 1<<12), false)
	f.Add(`CREATE TABLE ZWAPHONENUMBERLIDPAIR (ZLID BLOB, ZPHONENUMBER INTEGER)`, "+49 (151) 1-1", int64(1<<62), []byte("@lid"), false)
	f.Add("", "", int64(0), []byte("SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20"), true)
	msgs, chats := iosSample()
	good := filepath.Join(f.TempDir(), "good")
	writeIOS(f, good, msgs, chats)
	store, err := os.ReadFile(filepath.Join(good, "ChatStorage.sqlite"))
	if err != nil {
		f.Fatal(err)
	}
	a := archivetest.Open(f)
	f.Fuzz(func(t *testing.T, ddl, val string, num int64, blob []byte, raw bool) {
		if len(blob) > 1<<16 || len(val) > 1<<12 || len(ddl) > 1<<12 {
			return
		}
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "ChatStorage.sqlite"), string(store))
		for _, name := range []string{"CallHistory.sqlite", "LID.sqlite"} {
			p := filepath.Join(dir, name)
			if raw {
				writeFile(t, p, string(blob))
				continue
			}
			base := callDDL
			if name == "LID.sqlite" {
				base = lidDDL
			}
			hostileFrom(t, p, base, ddl, val, num, blob)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := importer.Run(ctx, a, iosImporter{}, importer.LocalSource(dir), importer.Options{TZ: time.UTC})
		if err != nil {
			var se *importer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("not a source error: %v", err)
			}
			if strings.ContainsRune(err.Error(), '\n') {
				t.Fatalf("error is not one line: %q", err)
			}
		}
	})
}
