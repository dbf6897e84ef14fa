// Package backup reads an iPhone backup folder (Finder, iTunes, Apple Devices) and gives each
// app's files as a read-only file system, decrypting encrypted backups in memory, never writing
// into the backup folder.
//
// Open a folder, read its [Info], [Backup.Unlock] it when it is encrypted, then list
// [Backup.Files] or read one domain through [Backup.FS]. Files of an encrypted backup are
// decrypted block by block on read, so a multi-gigabyte video is never held in memory and
// SQLite can read a database straight out of the backup through modernc.org/sqlite/vfs.
//
// The format is described in the project's notes (iphone-backup.md); facts come from public
// readers (mvt, iphone_backup_decrypt, pyiosbackup, crabapple) and were checked on real files.
package backup
