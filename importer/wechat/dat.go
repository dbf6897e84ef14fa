package wechat

import (
	"bytes"
	"io"
)

// Desktop WeChat stores images as .dat files XOR-ed with one byte (notes §9, from sjzar/chatlog
// pkg/util/dat2img): the key is whatever turns the first bytes into a JPEG, PNG or GIF magic.
var imageMagics = [][]byte{{0xFF, 0xD8, 0xFF}, {0x89, 'P', 'N', 'G'}, []byte("GIF8")}

// xorKey finds the one-byte key of an XOR-ed image.
func xorKey(head []byte) (byte, bool) {
	for _, magic := range imageMagics {
		if len(head) < len(magic) {
			continue
		}
		k := head[0] ^ magic[0]
		ok := true
		for i := 1; i < len(magic); i++ {
			if head[i]^k != magic[i] {
				ok = false
				break
			}
		}
		if ok {
			return k, true
		}
	}
	return 0, false
}

// v4DatMagic starts WeChat 4's AES-headed .dat images (notes §9).
var v4DatMagic = []byte{0x07, 0x08, 'V'}

// datMissing says why a .dat image could not be stored.
func datMissing(head []byte) string {
	if bytes.HasPrefix(head, v4DatMagic) {
		return "WeChat 4 encrypted image (.dat with an AES head): needs the image key, which chatvault cannot read"
	}
	return "not an image chatvault can decode (.dat with an unknown obfuscation)"
}

func xorBytes(b []byte, k byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = c ^ k
	}
	return out
}

type xorReader struct {
	r   io.Reader
	key byte
}

func (x *xorReader) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	for i := 0; i < n; i++ {
		p[i] ^= x.key
	}
	return n, err
}
