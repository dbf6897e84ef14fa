// Package wacrypt decrypts WhatsApp Android's encrypted database backups
// (msgstore.db.crypt12, .crypt14, .crypt15 and their dated copies such as
// msgstore-2024-01-31.1.db.crypt15) with the user's key: the "key" file of
// crypt12/14, the "encrypted_backup.key" file of crypt15, or the 64-digit
// end-to-end backup key.
//
// Decrypted bytes go only to the writer the caller gives; chatvault points it
// at a private temporary file inside the archive folder and removes it when
// the import ends. Decrypt streams: memory stays bounded whatever the size of
// the backup (real ones are 100 MB to 5 GB).
//
// Layouts (see docs in shared/notes/whatsapp-databases.md):
//
//	crypt12:     00 01 | key version | server salt(32) | google id salt(16) | IV(16)
//	             | ciphertext | GCM tag(16) | MD5(file[:-20]) | "--NN"
//	crypt14/15:  varint length | BackupPrefix protobuf | ciphertext | GCM tag(16)
//	             | MD5(file[:-16]) (single-file backups only)
//
// The ciphertext is AES-256-GCM with a 16-byte nonce and no additional data;
// the plaintext is a zlib stream holding a SQLite database (a ZIP for sticker
// and wallpaper backups).
package wacrypt
