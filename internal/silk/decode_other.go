//go:build !(amd64 || arm64)

package silk

import "context"

// Decode is not available here: the translated SILK SDK is built for 64-bit x86 and ARM only.
// Voice notes are then offered for download as they are.
func Decode(ctx context.Context, data []byte) ([]int16, error) {
	if _, err := packets(data); err != nil {
		return nil, err
	}
	return nil, ErrUnsupported
}

// Supported says whether Decode works on this processor.
const Supported = false
