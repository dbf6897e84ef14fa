// Package txt writes conversations in the shape of WhatsApp's own "Export chat" text, so that
// people can read them in any editor, keep them next to the exports they already have, and import
// them again (into chatvault or any tool that reads WhatsApp exports). Unlike WhatsApp, which
// stops at about 10,000 messages with media and 40,000 without, it has no cap.
//
// The shape is Android's, in English:
//
//	02/03/2024, 18:02 - Ana: Summer trip planning starts now!
//	03/03/2024, 09:12 - Ben: IMG-20240303-WA0001.png (file attached)
//	Old photo from the last trip
//	05/03/2024, 20:40 - Chen: <Media omitted>
//	01/06/2024, 19:00 - Dora changed this group's icon
//
// Dates are day/month/year with a four-digit year. When any message of the conversation has
// seconds (iOS exports, other messengers), every header carries them ("18:02:31"), so the times
// come back exactly. Times are written in each message's recorded offset (the wall-clock time
// the source showed) or, with Options.Zone, all in one zone; import the export with the same
// --tz to get the same instants back. Attachments are "<name> (file attached)" lines naming
// files that sit next to the text (in the folder or the .zip); media left out are "<Media
// omitted>"; system notices have no author; further lines of a message are continuation lines.
//
// A continuation line that would itself read as a message header ("12/03/2024, 10:00 - Bob: hi"
// pasted into a message) gets an invisible LEFT-TO-RIGHT MARK (U+200E) between the hour and the
// colon: it no longer parses as a header, and WhatsApp importers remove the mark from the text,
// so the message comes back as it was.
package txt
