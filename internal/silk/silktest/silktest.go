// Package silktest holds a real SILK v3 voice note for tests: chirp.silk, 2 s of a tone rising
// from 220 to 660 Hz (faded in and out over 0.25 s), encoded at 24 kHz with WeChat's 0x02 header
// by the SILK SDK compiled to WebAssembly (the npm package silk-wasm 3.7.1), not by chatvault.
package silktest

import (
	_ "embed" // the voice note
	"math"
)

// Chirp is the voice note's bytes.
//
//go:embed chirp.silk
var Chirp []byte

// ChirpSeconds is its length.
const ChirpSeconds = 2

// ChirpSample is sample i (at 24 kHz) of the signal Chirp was encoded from.
func ChirpSample(i int) float64 {
	t := float64(i) / 24000
	return 9000 * math.Sin(2*math.Pi*(220*t+110*t*t)) * math.Min(1, math.Min(4*t, 4*(2-t)))
}
