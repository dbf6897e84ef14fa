// Package all links every importer into the binary; importing it registers them.
package all

import (
	_ "github.com/chatvault/chatvault/importer/whatsapp"      // WhatsApp "Export chat" .txt/.zip/folder
	_ "github.com/chatvault/chatvault/importer/whatsapp/wadb" // WhatsApp's msgstore.db / ChatStorage.sqlite
)
