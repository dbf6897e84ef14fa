package dump

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// conversationDir is a conversation's folder: a readable part of its key plus a short hash, so
// that any key (which may hold "/", spaces or emoji) makes a safe, unique, stable name.
func conversationDir(service, key string) string {
	return "conversations/" + safeName(service, 24) + "/" + slug(service, key)
}

func slug(service, key string) string {
	sum := sha256.Sum256([]byte(service + "\x00" + key))
	return safeName(key, 40) + "-" + hex.EncodeToString(sum[:6])
}

// safeName keeps ASCII letters, digits, '-' and '_' (folding everything else to '_'), trimmed to n.
func safeName(s string, n int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() >= n {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" {
		return "x"
	}
	return out
}

func monthPath(month string) string { return month[:4] + "/" + month + ".jsonl" }

func mediaPath(sha string) string { return "media/" + sha[:2] + "/" + sha }
