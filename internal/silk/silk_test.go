package silk

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatvault/chatvault/internal/silk/silktest"
)

// chirp is the signal silktest.Chirp was encoded from (not by the code under test).
func chirp(i int) float64 { return silktest.ChirpSample(i) }

func readChirp(testing.TB) []byte { return bytes.Clone(silktest.Chirp) }

// TestDecodeChirp: the decoded audio is the tone that was encoded, 2 s long, and close to it (a
// speech codec keeps a tone at about 15 dB signal-to-noise; a wrong decoder gives noise or
// silence, near 0 dB or below).
func TestDecodeChirp(t *testing.T) {
	if !Supported {
		t.Skip("no SILK decoder on this processor")
	}
	pcm, err := Decode(context.Background(), readChirp(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(pcm) != 2*SampleRate {
		t.Fatalf("%d samples, want %d (2 s)", len(pcm), 2*SampleRate)
	}
	best := math.Inf(-1)
	for delay := 0; delay < 400; delay++ { // the codec delays the signal by a few ms (117 samples here)
		var sig, noise float64
		for i := 2000; i < 46000; i++ {
			d := float64(pcm[i+delay]) - chirp(i)
			sig += chirp(i) * chirp(i)
			noise += d * d
		}
		best = max(best, 10*math.Log10(sig/noise))
	}
	if best < 10 {
		t.Fatalf("signal-to-noise %.1f dB against the encoded tone, want at least 10", best)
	}
	t.Logf("signal-to-noise %.1f dB", best)
}

func TestToWAV(t *testing.T) {
	if !Supported {
		t.Skip("no SILK decoder on this processor")
	}
	w, err := ToWAV(context.Background(), bytes.NewReader(readChirp(t)))
	if err != nil {
		t.Fatal(err)
	}
	if string(w[:4]) != "RIFF" || string(w[8:16]) != "WAVEfmt " || string(w[36:40]) != "data" {
		t.Fatalf("not a WAV header: %q", w[:44])
	}
	if got := binary.LittleEndian.Uint32(w[24:]); got != SampleRate {
		t.Errorf("rate %d", got)
	}
	if got, want := int(binary.LittleEndian.Uint32(w[40:])), len(w)-44; got != want || got != 4*SampleRate {
		t.Errorf("data size %d, file has %d after the header, want %d", got, want, 4*SampleRate)
	}
	if got := int(binary.LittleEndian.Uint32(w[4:])); got != len(w)-8 {
		t.Errorf("RIFF size %d, want %d", got, len(w)-8)
	}
}

func packet(n int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(n)) }

// TestHostile: what is not a voice note, or claims to be an endless one, is refused quickly and
// with the reason, without the decoder running out of bounds.
func TestHostile(t *testing.T) {
	chirp := readChirp(t)
	empties := append([]byte{}, tencentHead...)
	for range maxPackets + 1 {
		empties = append(empties, 0, 0)
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotSILK},
		{"mp3", []byte("ID3\x03\x00\x00\x00"), ErrNotSILK},
		{"magic only", tencentHead, ErrDamaged},
		{"packet too long", append(append([]byte("#!SILK_V3"), packet(2000)...), make([]byte, 2000)...), ErrDamaged},
		{"truncated packet", append(append(bytes.Clone(tencentHead), packet(300)...), 1, 2, 3), ErrDamaged},
		{"endless silence", empties, ErrTooLong},
	}
	for _, c := range cases {
		start := time.Now()
		_, err := Decode(context.Background(), c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", c.name, d)
		}
	}
	big := bytes.NewReader(append(bytes.Clone(chirp), make([]byte, MaxInput)...))
	if _, err := ToWAV(context.Background(), big); !errors.Is(err, ErrTooLong) {
		t.Errorf("a file over %d bytes: %v, want ErrTooLong", MaxInput, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decode(ctx, chirp); Supported && !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestGarbage: packets of random bytes never crash the decoder nor give more audio than their
// count allows.
func TestGarbage(t *testing.T) {
	if !Supported {
		t.Skip("no SILK decoder on this processor")
	}
	r := rand.New(rand.NewPCG(1, 2))
	chirp := readChirp(t)
	for i := range 300 {
		var data []byte
		if i%2 == 0 { // the real file with bytes changed
			data = bytes.Clone(chirp)
			for range 1 + r.IntN(40) {
				data[len(tencentHead)+r.IntN(len(data)-len(tencentHead))] = byte(r.Uint32())
			}
		} else {
			data = bytes.Clone(tencentHead)
			for range 1 + r.IntN(100) {
				n := r.IntN(maxPacket + 1)
				data = append(data, packet(n)...)
				for range n {
					data = append(data, byte(r.Uint32()))
				}
			}
		}
		pkts, perr := packets(data)
		pcm, err := Decode(context.Background(), data)
		if err == nil && len(pcm) > len(pkts)*maxFrames*frameMax {
			t.Fatalf("case %d: %d samples from %d packets", i, len(pcm), len(pkts))
		}
		if perr != nil && err == nil {
			t.Fatalf("case %d: decoded what packets refused (%v)", i, perr)
		}
	}
}

func TestIsSILK(t *testing.T) {
	for s, want := range map[string]bool{"\x02#!SILK_V3\x10\x00": true, "#!SILK_V3": true, "#!SILK_V2": false, "#!AMR\n": false, "": false} {
		if IsSILK([]byte(s)) != want {
			t.Errorf("IsSILK(%q) != %v", s, want)
		}
	}
}

// FuzzDecode: no input crashes the decoder, and none decodes to more than its packets allow.
func FuzzDecode(f *testing.F) {
	f.Add(readChirp(f))
	f.Add([]byte("#!SILK_V3\x03\x00abc\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pcm, err := Decode(context.Background(), data)
		if err != nil {
			return
		}
		pkts, _ := packets(data)
		if len(pcm) > len(pkts)*maxFrames*frameMax {
			t.Fatalf("%d samples from %d packets", len(pcm), len(pkts))
		}
	})
}

// BenchmarkDecode60s: a minute of speech-rate SILK (the chirp's packets 30 times over), the
// longest voice note WeChat records.
func BenchmarkDecode60s(b *testing.B) {
	chirp := readChirp(b)
	data := bytes.Clone(tencentHead)
	for range 30 {
		data = append(data, chirp[len(tencentHead):]...)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		pcm, err := Decode(context.Background(), data)
		if err != nil || len(pcm) != 60*SampleRate {
			b.Fatal(len(pcm), err)
		}
	}
}
