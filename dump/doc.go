// Package dump renders the archive as a deterministic tree of files, which is what a backup
// stores, and loads such a tree back into an archive, which is what a restore does.
//
// The same archive always gives the same bytes, and a month of messages that did not change
// gives an identical file with an identical modification time, so the vault stores nothing new
// for it. The tree is produced on the fly from one consistent snapshot of the archive; nothing
// is staged on disk. docs/dump-format.md documents the format for people and other programs.
//
//	manifest.json                                  format, archive id, counts, digests
//	imports.jsonl                                  provenance: every import run
//	contacts/<service>.jsonl                       participants, one JSON object a line
//	conversations/<service>/<slug>/meta.json       a conversation, its members and months
//	conversations/<service>/<slug>/<yyyy>/<yyyy-mm>.jsonl   that month's messages, sorted
//	media/<aa>/<sha256>                            media files, named by their content
package dump
