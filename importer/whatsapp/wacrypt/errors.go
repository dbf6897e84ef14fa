package wacrypt

import "errors"

var (
	// ErrWrongKey: the key does not open this backup (a key of the wrong
	// kind, a key file of another account, or a wrong 64-digit key).
	// Decrypt reports it before writing anything.
	ErrWrongKey = errors.New("wrong key for this backup")

	// ErrTruncated: the file ends before its header or its compressed
	// database does (a partial copy or download).
	ErrTruncated = errors.New("backup file is cut short")

	// ErrCorrupt: the file is damaged or was altered (authentication, checksum
	// or decompression failed). What was written to the writer must be
	// discarded.
	ErrCorrupt = errors.New("backup file is damaged or was altered")

	// ErrNeedsServer: an end-to-end backup protected by a password or a
	// passkey. Its key is released only by WhatsApp's servers after the
	// password or passkey is checked, so it cannot be opened offline with a
	// 64-digit key.
	ErrNeedsServer = errors.New("backup is protected by a WhatsApp password or passkey: its key is held by WhatsApp's servers and cannot be used offline; back up again with the 64-digit key option, or use encrypted_backup.key from the phone")

	// ErrUnknownFormat: not a crypt12, crypt14 or crypt15 backup, or its
	// header is damaged.
	ErrUnknownFormat = errors.New("not a WhatsApp crypt12/crypt14/crypt15 backup, or its header is damaged")
)
