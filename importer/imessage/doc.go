// Package imessage imports the Messages database of an iPhone (sms.db, from a backup's
// HomeDomain) or a Mac (chat.db): iMessage, SMS, MMS and RCS conversations with their group
// names and members, attachments, tapbacks and emoji reactions, replies, edits and unsent
// messages. Both files share one schema family (message, handle, chat, the join tables,
// attachment); columns are read when they exist, so databases from many OS versions import.
//
// Attachments are named in the database by a home-relative path ("~/Library/SMS/Attachments/
// ab/11/<guid>/IMG_0001.HEIC"). The importer looks them up in the source's file system
// relative to the home folder the database sits in (the folder holding "Library/SMS/sms.db"
// or "Library/Messages/chat.db"); an iPhone backup's container gives it a file system that
// joins HomeDomain (the database) and MediaDomain (the attachments).
package imessage
