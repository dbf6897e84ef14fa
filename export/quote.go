package export

// quoteBytes is how much of a replied-to message a reply shows above itself, the same in the HTML
// export and the viewer.
const quoteBytes = 240

// QuoteText is the part of a replied-to message's text a reply shows: cut at a character
// boundary, with an ellipsis when cut.
func QuoteText(s string) string {
	n := quoteBytes
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
