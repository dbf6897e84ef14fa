package archive

import "fmt"

// The full-text index's row ids are time-ordered keys, not message ids: message ids follow import
// order (an older export imported later gets higher ids), and a search wants the newest matches.
// With keys in time order, FTS5 returns matches newest first straight from its doclists
// (ORDER BY rowid DESC) and a search stops after one page, whatever the number of hits.
//
// A key is the message's second (33 bits: 1970 to 2242) above its id (30 bits), so the id is read
// back from the key without a lookup table. Within one second keys follow ids, not milliseconds:
// Search reads the whole boundary second before it cuts the page, and ranks by the exact time.
const (
	keyIDBits  = 30
	keyIDMask  = 1<<keyIDBits - 1
	keyMaxSec  = 1<<33 - 1
	maxIndexID = keyIDMask
)

// keySecond is the second a key range starts at for a time, clamped to what a key can hold
// (times before 1970 share second 0).
func keySecond(tsMilli int64) int64 {
	s := tsMilli / 1000
	if tsMilli < 0 {
		s = 0
	}
	return min(s, keyMaxSec)
}

// searchKey is the index row id of message id at time tsMilli.
func searchKey(tsMilli, id int64) (int64, error) {
	if id <= 0 || id > maxIndexID {
		return 0, fmt.Errorf("search index: message id %d is outside what the index can hold (1 to %d)", id, maxIndexID)
	}
	return keySecond(tsMilli)<<keyIDBits | id, nil
}

// keyID is the message id a key holds.
func keyID(key int64) int64 { return key & keyIDMask }
