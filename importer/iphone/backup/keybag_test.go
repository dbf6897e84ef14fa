package backup

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// RFC 3394 section 4.6: wrap 256 bits of key data with a 256-bit KEK.
func TestUnwrapRFC3394(t *testing.T) {
	kek, _ := hex.DecodeString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
	key, _ := hex.DecodeString("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F")
	wrapped, _ := hex.DecodeString("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")
	got, err := unwrapKey(kek, wrapped)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("unwrap = %x, %v", got, err)
	}
	wrapped[10] ^= 1
	if _, err := unwrapKey(kek, wrapped); !errors.Is(err, errUnwrap) {
		t.Errorf("tampered: %v", err)
	}
	if _, err := unwrapKey(kek, wrapped[:20]); err == nil {
		t.Error("short input: no error")
	}
}

type tlv struct {
	tag string
	v   []byte
}

func bag(recs ...tlv) []byte {
	var b []byte
	for _, r := range recs {
		b = append(b, r.tag...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(r.v)))
		b = append(b, r.v...)
	}
	return b
}

func u32(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

func header() []tlv {
	return []tlv{{"VERS", u32(5)}, {"TYPE", u32(1)}, {"UUID", make([]byte, 16)}, {"HMCK", make([]byte, 40)},
		{"WRAP", u32(0)}, {"SALT", make([]byte, 20)}, {"ITER", u32(3)}, {"DPWT", u32(1)}, {"DPIC", u32(5)}, {"DPSL", make([]byte, 20)}}
}

func class(c, wrap uint32) []tlv {
	return []tlv{{"UUID", make([]byte, 16)}, {"CLAS", u32(c)}, {"WRAP", u32(wrap)}, {"KTYP", u32(0)}, {"WPKY", bytes.Repeat([]byte{byte(c)}, 40)}}
}

func TestParseKeybag(t *testing.T) {
	recs := append(header(), class(1, 3)...)
	recs = append(recs, class(2, 2)...)
	recs = append(recs, class(5, 1)...)
	kb, err := parseKeybag(bag(recs...))
	if err != nil {
		t.Fatal(err)
	}
	if kb.version != 5 || kb.kind != 1 || kb.iter != 3 || kb.dpic != 5 || !kb.hasDPSL || len(kb.classes) != 3 {
		t.Errorf("keybag = %+v", kb)
	}
	if c := kb.classes[2]; c == nil || c.wrap != 2 || !bytes.Equal(c.wpky, bytes.Repeat([]byte{2}, 40)) {
		t.Errorf("class 2 = %+v", c)
	}
	for name, b := range map[string][]byte{
		"empty":         nil,
		"short header":  []byte("VERS\x00\x00"),
		"overlong":      append(bag(header()...), "WPKY\xff\xff\xff\xff"...),
		"bad number":    bag(append(header(), tlv{"ITER", []byte{1, 2}})...),
		"no classes":    bag(header()...),
		"duplicate":     bag(append(append(header(), class(1, 2)...), class(1, 2)...)...),
		"DPSL no DPIC":  bag(append(header()[:8], tlv{"DPSL", make([]byte, 20)})...),
		"class no CLAS": bag(append(header(), tlv{"UUID", make([]byte, 16)}, tlv{"WRAP", u32(2)})...),
	} {
		if _, err := parseKeybag(b); err == nil || !strings.HasPrefix(err.Error(), "keybag: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestKeybagLimits(t *testing.T) {
	recs := header()
	recs[8] = tlv{"DPIC", u32(maxDPIC + 1)}
	kb, err := parseKeybag(bag(append(recs, class(1, 2)...)...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kb.deriveKEK([]byte("x")); err == nil || !strings.Contains(err.Error(), "above the limits") {
		t.Errorf("huge DPIC: %v", err)
	}
}
