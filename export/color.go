package export

import "hash/fnv"

// Palette is how many sender colours there are. A sender's colour is a hash of their participant
// key, so it is the same on every page, in every export and in the viewer.
const Palette = 12

// SenderColor returns a sender's colour index in [0, Palette).
func SenderColor(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % Palette)
}
