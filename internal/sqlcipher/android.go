package sqlcipher

import (
	"crypto/md5"
	"encoding/hex"
)

// androidFallbackID is the device id WeChat uses when it cannot read the IMEI; ppwwyyxx/
// wechat-dump tries it (its issue 70; notes §8).
const androidFallbackID = "1234567890ABCDEF"

// WeChatAndroidKey is the EnMicroMsg.db passphrase: the first 7 lowercase hex characters of
// md5(deviceID + uin), used with WeChatAndroid (notes §8, from chg-hou/EnMicroMsg.db-Password-
// Cracker and ppwwyyxx/wechat-dump). uin is the decimal account number as WeChat writes it,
// possibly negative.
func WeChatAndroidKey(deviceID, uin string) []byte {
	sum := md5.Sum([]byte(deviceID + uin))
	return []byte(hex.EncodeToString(sum[:])[:7])
}

// WeChatAndroidKeys returns the candidate passphrases for uin: one per device id, then the
// fallback id "1234567890ABCDEF", without duplicates.
func WeChatAndroidKeys(deviceIDs []string, uin string) [][]byte {
	seen := map[string]bool{}
	var keys [][]byte
	for _, id := range append(append([]string(nil), deviceIDs...), androidFallbackID) {
		k := WeChatAndroidKey(id, uin)
		if !seen[string(k)] {
			seen[string(k)] = true
			keys = append(keys, k)
		}
	}
	return keys
}
