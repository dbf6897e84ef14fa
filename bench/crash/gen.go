package crash

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// genChat writes a WhatsApp text export named "Crash <i>" into dir: n messages, media of them
// with a 2-16 KiB file of random bytes beside the chat (random, so each import stages new files).
func genChat(dir string, i, n, media int, rng *rand.Rand) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var b strings.Builder
	// Each chat has its own stretch of time: chats sharing messages would be taken for one chat
	// exported twice and merged.
	t := time.Date(2023, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i*n) * time.Minute)
	every := n + 1
	if media > 0 {
		every = n / media
	}
	for k := 0; k < n; k++ {
		who := "Alice"
		if k%3 == 0 {
			who = "Bob"
		}
		stamp := t.Add(time.Duration(k) * time.Minute).Format("02/01/2006, 15:04")
		if media > 0 && k%every == 0 && k/every < media {
			name := fmt.Sprintf("IMG-%s-WA%04d.jpg", t.Add(time.Duration(k)*time.Minute).Format("20060102"), k/every)
			fmt.Fprintf(&b, "%s - %s: %s (file attached)\n", stamp, who, name)
			data := make([]byte, (2+rng.Intn(15))*1024)
			rng.Read(data)
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(&b, "%s - %s: message %d of chat %d, some words to index\n", stamp, who, k, i)
	}
	return os.WriteFile(filepath.Join(dir, fmt.Sprintf("WhatsApp Chat with Crash %03d.txt", i)), []byte(b.String()), 0o600)
}
