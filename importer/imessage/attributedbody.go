package imessage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxBodyText bounds the text taken from one attributedBody: far above any message.
const maxBodyText = 1 << 20

var (
	streamHeader = []byte("\x04\x0bstreamtyped")
	nsString     = []byte("NSString")
)

// errNoText means an attributedBody holds no string this decoder recognises.
var errNoText = errors.New("attributedBody: no string found")

// decodeAttributedBody returns the plain text of a message.attributedBody: an
// NSMutableAttributedString written by NSArchiver in the "streamtyped" (typedstream) format.
// Only the string is needed, not the attributes: it is the first NSString object, written as
// the class name, its version, then an object marker (0x84 0x01), the type code '+' (a
// C string of bytes) and a typedstream integer length before the UTF-8 bytes. The object
// replacement character U+FFFC (where attachments sit in the text) is removed.
func decodeAttributedBody(b []byte) (string, error) {
	if !bytes.HasPrefix(b, streamHeader) {
		return "", fmt.Errorf("attributedBody: not a typedstream (no streamtyped header)")
	}
	i := bytes.Index(b, nsString)
	if i < 0 {
		return "", errNoText
	}
	rest := b[i+len(nsString):]
	// Between the class name and the string: class version (1 byte), the superclass
	// reference (0x84 0x84 NSObject... or a back reference 0x94/0x95), then 0x84 0x01 '+'.
	// Look for the '+' type marker close by.
	j := bytes.Index(rest[:min(len(rest), 32)], []byte{0x01, '+'})
	if j < 0 {
		return "", errNoText
	}
	rest = rest[j+2:]
	n, used, err := typedInt(rest)
	if err != nil {
		return "", err
	}
	rest = rest[used:]
	if n < 0 || n > int64(len(rest)) || n > maxBodyText {
		return "", fmt.Errorf("attributedBody: string length %d beyond the %d bytes left", n, len(rest))
	}
	s := rest[:n]
	if !utf8.Valid(s) {
		return "", fmt.Errorf("attributedBody: string is not UTF-8")
	}
	return strings.ReplaceAll(string(s), "\uFFFC", ""), nil
}

// typedInt reads a typedstream integer: one signed byte, or 0x81 then a little-endian int16,
// or 0x82 then a little-endian int32.
func typedInt(b []byte) (int64, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("attributedBody: truncated before a string length")
	}
	switch b[0] {
	case 0x81:
		if len(b) < 3 {
			return 0, 0, fmt.Errorf("attributedBody: truncated 16-bit length")
		}
		return int64(int16(binary.LittleEndian.Uint16(b[1:3]))), 3, nil
	case 0x82:
		if len(b) < 5 {
			return 0, 0, fmt.Errorf("attributedBody: truncated 32-bit length")
		}
		return int64(int32(binary.LittleEndian.Uint32(b[1:5]))), 5, nil
	}
	return int64(int8(b[0])), 1, nil
}
