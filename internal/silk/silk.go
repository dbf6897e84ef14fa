package silk

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// SampleRate is the rate voice notes are decoded at: SILK's widest internal rate, the one
// WeChat records at.
const SampleRate = 24000

// Limits on one voice note. WeChat stops a voice message at 60 seconds (about 150 KB of SILK);
// anything far past these is not a voice note, and must not cost the viewer its memory.
const (
	MaxInput    = 4 << 20         // bytes of SILK read at most
	MaxDuration = 5 * time.Minute // audio decoded at most (14.4 MB of WAV at 24 kHz)
	maxPacket   = 1024            // the SDK's MAX_ARITHM_BYTES: no encoder writes a longer packet
	maxFrames   = 5               // frames in one packet, the SDK's MAX_FRAMES_PER_PACKET
	frameMax    = SampleRate / 50 // samples in one 20 ms frame
	// maxPackets: every packet decodes to at least one 20 ms frame.
	maxPackets = int(MaxDuration/time.Second) * SampleRate / frameMax
)

// Errors Decode returns; each says what is wrong with the file, for the viewer's log.
var (
	ErrNotSILK     = errors.New("not SILK v3 audio")
	ErrTooLong     = fmt.Errorf("longer than %v or %d MB", MaxDuration, MaxInput>>20)
	ErrDamaged     = errors.New("damaged SILK audio")
	ErrUnsupported = errors.New("SILK decoding is not built for this processor")
)

var (
	magic       = []byte("#!SILK_V3")
	tencentHead = []byte("\x02#!SILK_V3") // WeChat and QQ write a 0x02 before the magic
)

// IsSILK says whether data starts like a SILK v3 file (with or without WeChat's leading 0x02).
func IsSILK(head []byte) bool {
	return bytes.HasPrefix(head, magic) || bytes.HasPrefix(head, tencentHead)
}

// ToWAV reads a SILK v3 file (at most MaxInput bytes; a longer one is ErrTooLong) and returns it
// as a WAV file: 16-bit PCM, mono, SampleRate.
func ToWAV(ctx context.Context, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxInput {
		return nil, ErrTooLong
	}
	pcm, err := Decode(ctx, data)
	if err != nil {
		return nil, err
	}
	return WAV(pcm, SampleRate), nil
}

// packets splits a SILK v3 stream into its packets after checking the header: each packet is a
// little-endian int16 length and that many bytes; a negative length (-1, Skype's end mark) ends
// the stream, and so does a length the file is too short for only when it is the last bytes.
func packets(data []byte) ([][]byte, error) {
	switch {
	case bytes.HasPrefix(data, tencentHead):
		data = data[len(tencentHead):]
	case bytes.HasPrefix(data, magic):
		data = data[len(magic):]
	default:
		return nil, ErrNotSILK
	}
	var out [][]byte
	for len(data) >= 2 {
		if len(out) == maxPackets {
			return nil, ErrTooLong
		}
		n := int(int16(binary.LittleEndian.Uint16(data)))
		data = data[2:]
		if n < 0 {
			break
		}
		if n > maxPacket || n > len(data) {
			return nil, fmt.Errorf("%w: a packet of %d bytes at %d bytes before the end", ErrDamaged, n, len(data))
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no audio in it", ErrDamaged)
	}
	return out, nil
}

// WAV wraps 16-bit mono PCM in a WAV (RIFF) header.
func WAV(pcm []int16, rate int) []byte {
	n := 2 * len(pcm)
	b := make([]byte, 44, 44+n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16) // fmt chunk size
	binary.LittleEndian.PutUint16(b[20:], 1)  // PCM
	binary.LittleEndian.PutUint16(b[22:], 1)  // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2)) // bytes per second
	binary.LittleEndian.PutUint16(b[32:], 2)              // bytes per frame
	binary.LittleEndian.PutUint16(b[34:], 16)             // bits per sample
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for _, s := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return b
}
