// Package sqlcipher reads SQLCipher-encrypted SQLite databases page by page, in memory, so
// chatvault can read WeChat databases (Android EnMicroMsg.db, desktop 3.x and 4.x) without
// writing decrypted bytes to disk.
//
// It only reads. [Open] derives the keys once and checks page 1; [DB.ReadAt] then returns the
// plaintext a stock SQLite would see in an unencrypted file of the same page size and reserve.
// [OpenSQL] puts that behind modernc.org/sqlite's read-only VFS and hands back a *sql.DB.
//
// The on-disk format (SQLCipher 1 to 4): page 1 starts with a 16-byte random salt; every page
// is AES-256-CBC encrypted except its last Reserve bytes, which hold the page's 16-byte IV and,
// when HMAC is on, an HMAC over the ciphertext, the IV and the 1-based page number as 4
// little-endian bytes. Sources: SQLCipher's src/sqlcipher.c (sqlcipher_page_hmac,
// sqlcipher_cipher_ctx_key_derive, the cipher_compatibility pragma) and the WeChat readers
// cited in /work/shared/notes/wechat.md (§8, §9).
package sqlcipher
