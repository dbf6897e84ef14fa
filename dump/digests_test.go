package dump

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// An import skipped when its source is unchanged (a manifest digest) stays so through a full
// restore; a restore that brings back less (one chat of a partial backup) forgets the digest,
// so importing the phone's backup again reads it and fills in what is missing.
func TestRestoreKeepsManifestDigestsOnlyWhenWhole(t *testing.T) {
	ctx := context.Background()
	digest := archive.ManifestDigestPrefix + "sha256:abc"
	a := openArchive(t, "a")
	fillArchive(t, a, 0)
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "imessage", ImporterVersion: "1", SourcePath: "iPhone backup: Messages", SourceDigest: digest, Rank: archive.RankDatabase})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := im.Conversation(archive.Conversation{Service: "imessage", Key: "imsg:+1", Title: "Ann", Kind: archive.ConvDirect})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddMessage(&archive.Message{ConversationID: conv, UID: "g1", Time: time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC), Kind: archive.KindText, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	known := func(a *archive.Archive) bool {
		t.Helper()
		_, ok, err := a.ImportedDigest(ctx, "imessage", "1", digest)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	whole := filepath.Join(t.TempDir(), "whole")
	dumpTo(t, a, Options{}, whole)
	full := openArchive(t, "full")
	if _, err := Load(ctx, Folder(whole), full, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if !known(full) {
		t.Error("a whole restore forgot the digest")
	}
	one := openArchive(t, "one")
	if _, err := Load(ctx, Folder(whole), one, LoadOptions{Include: func(c ConversationEntry) bool { return c.Service == "imessage" }}); err != nil {
		t.Fatal(err)
	}
	if known(one) {
		t.Error("a restore of one conversation kept the digest")
	}
	partial := filepath.Join(t.TempDir(), "partial")
	dumpTo(t, a, Options{ConversationIDs: []int64{conv}}, partial)
	fromPartial := openArchive(t, "partial")
	if _, err := Load(ctx, Folder(partial), fromPartial, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if known(fromPartial) {
		t.Error("a restore of a partial backup kept the digest")
	}
}
