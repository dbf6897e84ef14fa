// Package all links every importer into the binary; importing it registers them.
package all

import (
	_ "github.com/chatvault/chatvault/importer/imessage"      // Messages sms.db / chat.db
	_ "github.com/chatvault/chatvault/importer/iphone"        // iPhone backups (a container of the others)
	_ "github.com/chatvault/chatvault/importer/telegram"      // Telegram Desktop result.json
	_ "github.com/chatvault/chatvault/importer/wechat"        // WeChat: iPhone backup app folder, Android EnMicroMsg.db, desktop
	_ "github.com/chatvault/chatvault/importer/whatsapp"      // WhatsApp "Export chat" .txt/.zip/folder
	_ "github.com/chatvault/chatvault/importer/whatsapp/wadb" // WhatsApp's msgstore.db / ChatStorage.sqlite
)
