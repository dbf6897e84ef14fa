package wacrypt

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func msg(fields ...[]byte) []byte { return bytes.Join(fields, nil) }

func bytesField(n protowire.Number, b []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, n, protowire.BytesType), b)
}

func varintField(n protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(nil, n, protowire.VarintType), v)
}

var iv16 = bytes.Repeat([]byte{0xa5}, 16)

func c15(iv []byte) []byte { return bytesField(prefixC15, bytesField(c15IV, iv)) }

func withLen(p []byte) []byte { return protowire.AppendBytes(nil, p) }

func TestReadHeaderSynthetic(t *testing.T) {
	unknown := msg(
		varintField(20, 7),
		protowire.AppendFixed32(protowire.AppendTag(nil, 21, protowire.Fixed32Type), 1),
		protowire.AppendFixed64(protowire.AppendTag(nil, 22, protowire.Fixed64Type), 1),
		bytesField(23, []byte("x")),
	)
	for _, c := range []struct {
		name   string
		file   []byte
		format Format
		kt     KeyType
		len    int
	}{
		{"crypt15, key type 1", withLen(msg(varintField(1, 1), c15(iv16))), Crypt15, KeyTypeE2EE, 23},
		{"field 6 wins over field 1", withLen(msg(varintField(1, 1), c15(iv16), varintField(6, 3))), Crypt15, KeyTypeE2EEKey, 25},
		{"unknown fields are skipped", withLen(msg(unknown, c15(iv16))), Crypt15, 0, 1 + len(unknown) + 20},
		{"one-byte length and a features byte", append([]byte{20, 0x01}, c15(iv16)...), Crypt15, 0, 22},
		{"crypt14", withLen(bytesField(prefixC14, msg(bytesField(c14KeyVersion, []byte("1")), bytesField(c14IV, iv16)))), Crypt14, 0, 24},
	} {
		r := bytes.NewReader(append(bytes.Clone(c.file), "ciphertext"...))
		h, err := ReadHeader(r)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if h.Format != c.format || h.KeyType != c.kt || h.Len != c.len || !bytes.Equal(h.IV, iv16) {
			t.Errorf("%s: %s %v len %d IV %x; want %s %v len %d", c.name, h.Format, h.KeyType, h.Len, h.IV, c.format, c.kt, c.len)
		}
		if rest := r.Len(); rest != len("ciphertext") {
			t.Errorf("%s: reader left with %d bytes, want the 10 of the ciphertext", c.name, rest)
		}
	}
}

func TestReadHeaderErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		file []byte
		want error
		says string
	}{
		{"empty", nil, ErrTruncated, "empty"},
		{"crypt12 cut", []byte{0, 1, 2, 3}, ErrTruncated, "67-byte crypt12 header"},
		{"starts 00 02", append([]byte{0, 2}, make([]byte, 70)...), ErrUnknownFormat, "starts 00 02"},
		{"huge length", []byte{0xff, 0xff, 0xff, 0x7f}, ErrUnknownFormat, "too large"},
		{"length past the end", []byte{0x40, 0x08}, ErrTruncated, "64-byte header"},
		{"both key data", withLen(msg(c15(iv16), bytesField(prefixC14, bytesField(c14IV, iv16)))), ErrUnknownFormat, "both"},
		{"no key data", withLen(varintField(1, 1)), ErrUnknownFormat, "neither"},
		{"short IV", withLen(c15(iv16[:12])), ErrUnknownFormat, "IV of 12 bytes"},
		{"IV as varint", withLen(bytesField(prefixC15, varintField(c15IV, 5))), ErrUnknownFormat, "wire type"},
		{"key type as bytes", withLen(msg(bytesField(1, []byte{1}), c15(iv16))), ErrUnknownFormat, "field 1"},
		{"bad protobuf", withLen([]byte{0x08}), ErrUnknownFormat, "header"},
		{"password, no IV", withLen(varintField(6, 2)), ErrNeedsServer, "password"},
		{"passkey metadata, no IV", withLen(bytesField(5, []byte{})), ErrNeedsServer, "WhatsApp's servers"},
	} {
		_, err := ReadHeader(bytes.NewReader(c.file))
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: err %v, want %v saying %q", c.name, err, c.want, c.says)
		}
	}
}
