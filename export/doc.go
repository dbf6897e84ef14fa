// Package export holds what every export format shares: which conversations and dates an export
// covers, how untrusted names are made safe to show, how media files are named when they are
// copied out of the archive, sender colours, link detection, and writing an export folder so it
// appears whole or not at all.
//
// One package per format sits below it: html (a browsable folder), txt (WhatsApp's own export
// text, re-importable), jsonl (one JSON object per message, see docs/export-json.md) and vcard
// (contacts). Every format streams from the archive in pages, so memory stays bounded whatever
// the size of the history.
package export
