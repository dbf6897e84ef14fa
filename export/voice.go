package export

import (
	"strings"

	"github.com/chatvault/chatvault/internal/silk"
)

// Voice notes in SILK (WeChat's, QQ's) play in no browser. The archive keeps them as they came;
// exports and the viewer hand them out as WAV (see internal/silk), converted on the way.

// ToWAV says whether a file of this media type is given out as WAV: SILK voice notes, where this
// processor can decode them.
func ToWAV(mimeType string) bool {
	if !silk.Supported {
		return false
	}
	t := strings.ToLower(strings.TrimSpace(mimeType))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	return t == "audio/silk" || t == "audio/x-silk"
}
