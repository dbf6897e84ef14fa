// Package viewer is chatvault's local web app: it serves the archive, or a backup snapshot read
// straight from a vault, to a browser on this machine, for reading, scrolling, jumping to a date,
// searching everything and playing media.
//
// It reads through a Source, so the same app serves the live archive (ArchiveSource) and a dump
// (DumpSource, the format backups store, read file by file without restoring it).
//
// Security: every message, name and file name is untrusted. The server listens on 127.0.0.1 by
// default, requires a random 128-bit token on every request (in the first URL, then an HttpOnly
// SameSite=Strict cookie), answers 403 otherwise, and checks the Host header against DNS
// rebinding. Responses carry a strict Content-Security-Policy and X-Content-Type-Options:
// nosniff; the front end builds every element with DOM calls and sets text with textContent,
// never markup; media are served by content hash, inline only for image, audio and video types,
// as downloads otherwise.
package viewer
