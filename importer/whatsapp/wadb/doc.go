// Package wadb imports WhatsApp's own databases, which hold the whole history with native message
// ids: Android's msgstore.db (legacy, modern and half-migrated schemas, plain or as an encrypted
// crypt12/14/15 backup, with wa.db for names and the WhatsApp/Media folder for files) and the
// iPhone's ChatStorage.sqlite (with ContactsV2.sqlite, CallHistory.sqlite, LID.sqlite and
// Message/Media). What is read is chosen by which tables and columns exist, never by app version.
//
// Identity is shared with the text-export importer (package whatsapp): a message is "wa:<key id>",
// a chat "jid:<jid>" with the text export's key ("export:<name>") as an ident, so an export and
// the database of the same chat are one conversation and the archive matches their messages.
package wadb
