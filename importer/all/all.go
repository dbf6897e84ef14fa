// Package all links every importer into the binary; importing it registers them.
package all

import (
	_ "github.com/chatvault/chatvault/importer/telegram" // Telegram Desktop JSON export (result.json or its folder)
	_ "github.com/chatvault/chatvault/importer/whatsapp" // WhatsApp "Export chat" .txt/.zip/folder
)
