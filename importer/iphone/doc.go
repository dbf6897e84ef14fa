// Package iphone imports every chat of an iPhone backup (Finder, iTunes, Apple Devices) in one
// step: it is an importer.Container that opens the backup (asking for its password when it is
// encrypted), finds each chat app's files by domain and path, and hands each app to the
// importer that reads it: WhatsApp to "whatsapp-ios-db", WeChat to "wechat-ios", Messages to
// "imessage". An app whose importer is not linked in, or whose data the backup lacks, is
// listed as skipped with the reason. Nothing is written into the backup folder: files are read
// (and decrypted) through the backup package's read-only file system.
package iphone
