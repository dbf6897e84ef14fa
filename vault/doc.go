// Package vault keeps encrypted, versioned, deduplicated backups of the
// chat archive at a destination the user chooses: a folder (external drive,
// NAS mount), an S3-compatible bucket, an SFTP or WebDAV server, Google
// Cloud Storage, Azure, Backblaze B2, or anything rclone reaches.
//
// It is the only package of chatvault that imports kopia
// (github.com/kopia/kopia, pinned at v0.21.1), which provides the
// authenticated encryption, content-defined chunking, deduplication,
// compression, snapshots, retention and garbage collection. Everything else
// talks to the vault through this package's own types.
//
// # Layout at the destination
//
// A vault is a kopia repository plus three small chatvault files beside it,
// stored through kopia's blob storage so every backend works the same:
//
//	chatvault            descriptor: format version, vault ID, slot names (plaintext, no secret)
//	chatvault.password   the repository secret, age-encrypted with the user's password
//	chatvault.recovery   the same secret, age-encrypted with the recovery key
//	chatvault.copy.*     second copies of these and of kopia.repository and
//	                     kopia.blobcfg, put back when a primary is damaged (redundancy.go)
//
// Damage at the destination is ErrDamaged. A backup never builds on it: what
// its parent snapshot lost is stored afresh (heal.go); MarkDamaged and Repair
// handle what only Verify finds.
//
// The kopia repository's password is that random secret, never typed by
// anyone. See keyslot.go for why these names survive kopia's maintenance,
// and docs/vault-without-chatvault.md for reading a vault with only the age
// and kopia command line tools.
//
// # Use
//
//	dest, _ := vault.ParseDestination("s3://bucket/chats?endpoint=minio:9000", nil)
//	key, _ := vault.Init(ctx, dest, password, vault.InitOptions{})    // show key once
//	v, _ := vault.Open(ctx, dest, vault.Password(password), vault.OpenOptions{})
//	defer v.Close(ctx)
//	info, _ := v.Backup(ctx, dumpRoot, vault.BackupOptions{Uncompressed: []string{"media"}})
//	r, _ := v.OpenSnapshot(ctx, info.ID)
//	f, size, _ := r.Open(ctx, "manifest.json")
//
// A backup source is a generated tree (Dir and File, see tree.go) that is
// streamed into kopia, never staged on disk. Files whose name, size and
// modification time match the previous snapshot of the same source are not
// read again, so an unchanged archive costs almost nothing to back up.
package vault
