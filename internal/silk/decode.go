//go:build amd64 || arm64

package silk

import (
	"context"
	"fmt"
	"time"
	"unsafe"

	"github.com/wdvxdr1123/go-silk/sdk"
	"modernc.org/libc"
	"modernc.org/libc/sys/types"
)

// Decode decodes a SILK v3 file to 16-bit PCM at SampleRate. A file longer than MaxDuration is
// ErrTooLong; one whose packets the decoder mostly cannot read is ErrDamaged (a few bad packets
// are concealed, as the SDK does for lost ones). ctx is checked between packets.
func Decode(ctx context.Context, data []byte) (pcm []int16, err error) {
	pkts, err := packets(data)
	if err != nil {
		return nil, err
	}
	maxSamples := int(MaxDuration/time.Second) * SampleRate
	defer func() {
		if r := recover(); r != nil { // the translated C stops with a panic on some inputs
			pcm, err = nil, fmt.Errorf("%w: the decoder stopped: %v", ErrDamaged, r)
		}
	}()
	tls := libc.NewTLS()
	defer tls.Close()
	// Everything the decoder reads or writes is C memory: Go memory may move under a uintptr.
	var size int32
	sizep := alloc(tls, 4)
	defer libc.Xfree(tls, sizep)
	sdk.SDK_Get_Decoder_Size(tls, sizep)
	size = *(*int32)(cptr(sizep))
	state := alloc(tls, int(size))
	defer libc.Xfree(tls, state)
	if sdk.SDK_InitDecoder(tls, state) != 0 {
		return nil, fmt.Errorf("%w: the decoder did not start", ErrDamaged)
	}
	ctlp := alloc(tls, int(unsafe.Sizeof(sdk.SDK_DecControlStruct{})))
	defer libc.Xfree(tls, ctlp)
	ctl := (*sdk.SDK_DecControlStruct)(cptr(ctlp))
	ctl.FAPI_sampleRate = SampleRate
	ctl.FframesPerPacket = 1
	in := alloc(tls, maxPacket+64)
	defer libc.Xfree(tls, in)
	const outCap = 4 * frameMax // one frame at the SDK's highest API rate fits twice over
	out := alloc(tls, 2*outCap)
	defer libc.Xfree(tls, out)
	np := alloc(tls, 2)
	defer libc.Xfree(tls, np)
	nSamples := (*int16)(cptr(np))

	pcm = make([]int16, 0, min(len(pkts)*frameMax, maxSamples))
	bad := 0
	for i, p := range pkts {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		lost := int32(0)
		if len(p) == 0 {
			lost = 1 // an empty packet is a lost one: the decoder conceals it
		}
		copy(unsafe.Slice((*byte)(cptr(in)), maxPacket), p)
		for f := 0; f < maxFrames; f++ {
			*nSamples = 0
			if sdk.SDK_Decode(tls, state, ctlp, lost, in, int32(len(p)), out, np) != 0 {
				bad++
			}
			n := int(*nSamples)
			if n < 0 || n > outCap {
				return nil, fmt.Errorf("%w: the decoder returned %d samples", ErrDamaged, n)
			}
			if len(pcm)+n > maxSamples {
				return nil, ErrTooLong
			}
			pcm = append(pcm, unsafe.Slice((*int16)(cptr(out)), n)...)
			if lost != 0 || ctl.FmoreInternalDecoderFrames == 0 {
				break
			}
		}
	}
	if bad > len(pkts)/2 {
		return nil, fmt.Errorf("%w: %d of %d packets could not be decoded", ErrDamaged, bad, len(pkts))
	}
	return pcm, nil
}

// Supported says whether Decode works on this processor.
const Supported = true

// alloc returns n zeroed bytes of the translated C's memory.
func alloc(tls *libc.TLS, n int) uintptr {
	p := libc.Xcalloc(tls, 1, types.Size_t(n))
	if p == 0 {
		panic("silk: out of memory")
	}
	return p
}

// cptr turns an address of the C memory into a pointer. That memory is the libc allocator's,
// outside Go's heap, so it never moves and the collector ignores it.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
