// Package tgjson reads Telegram Desktop's JSON export ("Machine-readable JSON", result.json) one
// message at a time, in bounded memory, tolerating the control characters Telegram writes
// unescaped (or as \xNN, which JSON forbids).
//
// It reads both shapes Telegram Desktop writes:
//
//   - a whole-account export: an object with "about", "personal_information", "contacts",
//     "frequent_contacts", "profile_pictures", ..., "chats": {"list": [chat...]} and
//     "left_chats": {"list": [chat...]}, sections in any order;
//   - a single-chat export: the chat object itself, {"name", "type", "id", "messages": [...]}.
//
// A Reader walks the file with a token decoder (go-json-experiment's jsontext, which checks the
// syntax) and decodes one message at a time, so memory depends on the largest message, not on
// the file. Each message record is decoded in one walk without reflection (decode.go, scan.go),
// to the fields encoding/json would fill; the tests hold it to encoding/json on every record.
// It knows nothing about the archive or media files on disk; the importer maps its records.
//
// The package also recognises Telegram's HTML export (DetectHTML) so the importer can ask the
// user to export again as JSON, and scores how likely a file's first bytes are a result.json
// (Detect).
package tgjson
