// Package all links every importer into the binary; importing it registers them.
package all

import (
	_ "github.com/chatvault/chatvault/importer/imessage" // Messages sms.db / chat.db
	_ "github.com/chatvault/chatvault/importer/iphone"   // iPhone backups (a container of the above)
	_ "github.com/chatvault/chatvault/importer/whatsapp" // WhatsApp "Export chat" .txt/.zip/folder
)
