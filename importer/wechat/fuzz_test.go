package wechat

import "testing"

// FuzzDesktopBlobs: Windows BytesExtra protobuf, LZ4 CompressContent, zstd message_content,
// .dat image keys, the raw-record encoder.
func FuzzDesktopBlobs(f *testing.F) {
	f.Add([]byte{0x1a, 0x06, 0x08, 0x01, 0x12, 0x02, 'a', 'b'})
	f.Add([]byte{0xf0, 0x10, 'a'})
	f.Add(append([]byte{0x28, 0xb5, 0x2f, 0xfd}, 1, 2, 3))
	f.Add([]byte{0xc8, 0xef, 0xc8})
	f.Fuzz(func(t *testing.T, b []byte) {
		bytesExtra(b)
		unLZ4(b)
		unZstd(b)
		xorKey(b)
		_ = newRaw().Str("x", string(b)).String()
	})
}
