// Package archive is the user's chat library on this machine: one SQLite
// database (conversations, participants, messages, attachments, reactions and
// the provenance of every import) plus a content-addressed media store.
//
// Importers write through an Import, which is one transaction: it lands whole
// or not at all. Readers (the CLI, exports, the viewer and the vault's dump)
// use the query methods on Archive, which stream so that memory stays bounded
// whatever the size of the history.
//
// Layout of an archive directory:
//
//	archive.db     SQLite (WAL): the source of truth
//	index.db       SQLite FTS5 search index, derived from archive.db and rebuilt when missing or behind
//	media/aa/<sha256>   media files, stored once by content
package archive
