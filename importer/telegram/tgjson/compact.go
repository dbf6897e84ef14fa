package tgjson

// appendCompact appends the JSON value v to dst without the whitespace between its tokens.
// Telegram Desktop indents every record, and the indentation was more than a quarter of what an
// import stored as each message's raw record (Message.Raw); the record keeps every byte of every
// key and value. v must be valid JSON, as the decoder has already checked.
func appendCompact(dst, v []byte) []byte {
	start := 0
	for i := 0; i < len(v); {
		switch v[i] {
		case ' ', '\t', '\n', '\r':
			dst = append(dst, v[start:i]...)
			for i++; i < len(v) && isSpace(v[i]); i++ {
			}
			start = i
		case '"':
			i = stringEnd(v, i+1)
		default:
			i++
		}
	}
	return append(dst, v[start:]...)
}

// stringEnd returns the index just past the closing quote of the string whose contents start
// at v[i], or len(v) if it has none.
func stringEnd(v []byte, i int) int {
	for i < len(v) {
		switch v[i] {
		case '"':
			return i + 1
		case '\\':
			i += 2
		default:
			i++
		}
	}
	return len(v)
}
