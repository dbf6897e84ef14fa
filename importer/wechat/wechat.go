// Package wechat imports WeChat histories: the iPhone app folder of a backup (wechat-ios), the
// Android EnMicroMsg.db (wechat-android) and the Windows and macOS desktop databases
// (wechat-desktop). The platforms share message types and XML (package wxmsg) and an account's
// rows go through one writer, so the same account read from several devices lands once: each
// message's uid is its server id, "wx:<MesSvrID>". Formats: docs/importers/wechat.md.
package wechat

import "github.com/chatvault/chatvault/importer"

func init() {
	importer.Register(iosImporter{})
	importer.Register(androidImporter{})
	importer.Register(desktopImporter{})
}
