// Package wachat reads the text of a WhatsApp "Export chat" file (the
// _chat.txt or "WhatsApp Chat with X.txt" inside an export) and turns it
// into a stream of records, one per message, in file order.
//
// It is a pure parser: bytes in, records out. It knows nothing about the
// archive, zip files, folders, time zones or media files on disk; the glue
// in package importer/whatsapp does that.
//
// WhatsApp writes the export in the phone's locale, so one chat can look
// like any of these (and many more):
//
//	12/07/2017, 22:35 - Alice: hi                     Android, day first
//	1/29/18, 11:46 PM - Bob: hi                       Android en-US
//	[29/11/2018, 10:50:41] Josh: hi                   iOS
//	[3/18/2565 BE, 14:56:01] Elon: hi                 iOS, Buddhist calendar
//	[3/18/R4, 14:56:01] Elon: hi                      iOS, Japanese calendar
//	[14:56:01, 3/18/22] Elon: hi                      iOS, time first
//	٢٤‏/٤‏/٢٠٢٢، ٢:٠٧ م - علي: hi                     Android ar, Arabic digits
//	7/8/12, 3:20:08 PM: ROOT: hi                      2012 iOS, colon after time
//	19:23, 28 Aug 2013 - Tanay: hi                    2013 Android, month names
//
// Reading is two passes over the same bytes, so memory stays bounded
// whatever the size of the export:
//
//   - Scan reads the whole file, looks only at lines that look like message
//     headers, and decides the Layout: which header shape the file uses,
//     the date order (day/month/year is ambiguous on its own), and whether
//     the file is a chat at all.
//   - Parse reads it again and calls a function for every message.
//
// A line starts a message only when it is a header of the file's shape
// (see Layout.Family) whose date fits the file's date order; every other
// line continues the message before it. Lines before the first message
// are reported through Options.OnUnparsed, so nothing is dropped silently.
package wachat
