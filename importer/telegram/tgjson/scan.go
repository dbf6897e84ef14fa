package tgjson

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scan walks one JSON value that the Reader's decoder has already checked for syntax, so its only
// errors are values of a shape a field does not take. Strings decode the way encoding/json
// decodes them (invalid UTF-8 and lone surrogates become U+FFFD).
type scan struct {
	b []byte
	i int
	// rec is b as one string: a string value without escapes is a slice of it, so a record's
	// strings cost one allocation, not one each.
	rec string
	// Scratch space: unescaped strings, and text parts before they are copied out at their
	// final size.
	tmp     []byte
	partBuf [8]Part
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// peek skips whitespace and returns the next byte (0 at the end).
func (s *scan) peek() byte {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
	if s.i == len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// more is called inside an object or array after its opening bracket or an element: it consumes
// a comma and reports true when another element follows, or consumes the closing bracket.
func (s *scan) more() bool {
	switch s.peek() {
	case ',':
		s.i++
		s.peek()
		return true
	case '}', ']':
		s.i++
		return false
	}
	return s.i < len(s.b) // the first element
}

// open consumes the opening bracket the caller has peeked.
func (s *scan) open() { s.i++ }

// key reads an object member's name and its colon.
func (s *scan) key() []byte {
	s.peek()
	start, end, esc := s.rawString()
	for s.b[s.i] != ':' {
		s.i++
	}
	s.i++
	if !esc {
		return s.b[start:end]
	}
	return unescape(nil, s.b[start:end]) // never in Telegram's files
}

// rawString consumes a string and returns where its content (between the quotes) starts and
// ends, and whether it holds escapes.
func (s *scan) rawString() (start, end int, esc bool) {
	start = s.i + 1
	for i := start; ; i++ {
		switch s.b[i] {
		case '"':
			s.i = i + 1
			return start, i, esc
		case '\\':
			esc = true
			i++
		}
	}
}

// str consumes a string value.
func (s *scan) str() string {
	start, end, esc := s.rawString()
	raw := s.b[start:end]
	if !esc && utf8.Valid(raw) {
		return s.rec[start:end]
	}
	s.tmp = unescape(s.tmp[:0], raw)
	return string(s.tmp)
}

// literal consumes a number, true, false or null and returns its text.
func (s *scan) literal() []byte {
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\n', '\r', '\t':
			return s.b[start:s.i]
		}
		s.i++
	}
	return s.b[start:]
}

// skip consumes any value.
func (s *scan) skip() {
	depth := 0
	for {
		switch s.peek() {
		case '"':
			s.rawString()
		case '{', '[':
			depth++
			s.i++
			continue
		case '}', ']':
			depth--
			s.i++
		case ',', ':':
			s.i++
			continue
		default:
			s.literal()
		}
		if depth == 0 {
			return
		}
	}
}

// value consumes any value and returns its bytes.
func (s *scan) value() []byte {
	s.peek()
	start := s.i
	s.skip()
	return s.b[start:s.i]
}

// unescape appends the decoded content of a JSON string (without its quotes) to dst.
func unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			i++
			switch raw[i] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hex4(raw[i+1:])
				i += 4
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
						r2 = hex4(raw[i+3:])
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				dst = utf8.AppendRune(dst, r)
			default: // '"', '\\', '/'
				dst = append(dst, raw[i])
			}
			i++
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, raw[i:i+n]...)
			}
			i += n
		}
	}
	return dst
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// kindName names the JSON kind of a value starting with c, for errors.
func kindName(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// shapeError is a value of the wrong kind for its field.
type shapeError struct {
	want  string
	found byte
	text  []byte // a literal that did not parse, when that was the problem
}

func (e *shapeError) Error() string {
	if e.text != nil {
		return "expected " + e.want + ", found " + strconv.Quote(string(e.text))
	}
	return "expected " + e.want + ", found " + kindName(e.found)
}

// integer reads a number into an int64 the way encoding/json does: null leaves it, a fraction,
// an exponent or an overflow is an error.
func (s *scan) integer(dst *int64) error {
	c := s.peek()
	switch {
	case c == 'n':
		s.literal()
		return nil
	case c != '-' && (c < '0' || c > '9'):
		s.skip()
		return &shapeError{want: "a whole number", found: c}
	}
	lit := s.literal()
	if n, ok := smallInt(lit); ok {
		*dst = n
		return nil
	}
	n, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil {
		return &shapeError{want: "a whole number", text: lit}
	}
	*dst = n
	return nil
}

// smallInt parses up to 18 decimal digits, with an optional minus, without allocating.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// string reads a string or null (which leaves dst as it is).
func (s *scan) string(dst *string) error {
	switch c := s.peek(); c {
	case '"':
		*dst = s.str()
	case 'n':
		s.literal()
	default:
		s.skip()
		return &shapeError{want: "a string", found: c}
	}
	return nil
}

func (s *scan) bool(dst *bool) error {
	switch c := s.peek(); c {
	case 't', 'f':
		*dst = c == 't'
		s.literal()
	case 'n':
		s.literal()
	default:
		s.skip()
		return &shapeError{want: "true or false", found: c}
	}
	return nil
}

// scalar reads what scalarText accepts: a string's value, a number's or boolean's text, "" for
// null.
func (s *scan) scalar() (string, error) {
	switch c := s.peek(); c {
	case '"':
		return s.str(), nil
	case 'n':
		s.literal()
		return "", nil
	case '{', '[':
		s.skip()
		return "", &shapeError{want: "a string or a number", found: c}
	}
	return string(s.literal()), nil
}

// strings reads an array of strings (a null element is ""), or null.
func (s *scan) strings(dst *[]string) error {
	switch c := s.peek(); c {
	case 'n':
		s.literal()
		*dst = nil
		return nil
	case '[':
	default:
		s.skip()
		return &shapeError{want: "an array of strings", found: c}
	}
	s.open()
	out := []string{}
	var first error
	for s.more() {
		var v string
		if err := s.string(&v); err != nil && first == nil {
			first = err
		}
		out = append(out, v)
	}
	*dst = out
	return first
}
