package backup

import (
	"encoding/binary"
	"fmt"
)

// keybag is the backup keybag from Manifest.plist's BackupKeyBag: a list of TLV records
// (4-byte ASCII tag, 4-byte big-endian length, value). The header records come first; each
// UUID after the first one starts a protection-class record.
type keybag struct {
	version uint32
	kind    uint32 // TYPE: 1 = backup
	uuid    []byte
	salt    []byte // SALT, for PBKDF2-HMAC-SHA1
	iter    uint32 // ITER
	dpsl    []byte // DPSL, for the PBKDF2-HMAC-SHA256 round (iOS 10.2 and later)
	dpic    uint32 // DPIC
	classes map[uint32]*classKey
	hasDPSL bool
	hasIter bool
	hasSalt bool
	hasDPIC bool
}

type classKey struct {
	class   uint32
	wrap    uint32 // WRAP: bit 1 device UID, bit 2 password
	keyType uint32
	wpky    []byte // wrapped class key
	key     []byte // unwrapped, after unlock
}

// maxKeybag bounds the keybag; real ones are about 2 KiB.
const maxKeybag = 1 << 20

func parseKeybag(b []byte) (*keybag, error) {
	if len(b) > maxKeybag {
		return nil, fmt.Errorf("keybag: %d bytes is larger than the %d allowed", len(b), maxKeybag)
	}
	kb := &keybag{classes: map[uint32]*classKey{}}
	var cur *classKey
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			return nil, fmt.Errorf("keybag: truncated record header at offset %d", off)
		}
		tag := string(b[off : off+4])
		n := binary.BigEndian.Uint32(b[off+4 : off+8])
		if uint64(n) > uint64(len(b)-off-8) {
			return nil, fmt.Errorf("keybag: record %q at offset %d claims %d bytes, %d left", tag, off, n, len(b)-off-8)
		}
		v := b[off+8 : off+8+int(n)]
		off += 8 + int(n)
		num := func() (uint32, error) {
			if len(v) != 4 {
				return 0, fmt.Errorf("keybag: record %q at offset %d has %d bytes, want 4", tag, off-8-len(v), len(v))
			}
			return binary.BigEndian.Uint32(v), nil
		}
		var err error
		switch tag {
		case "UUID":
			if kb.uuid == nil {
				kb.uuid = append([]byte{}, v...)
				continue
			}
			if cur != nil {
				if err := kb.add(cur); err != nil {
					return nil, err
				}
			}
			cur = &classKey{}
		case "VERS":
			kb.version, err = num()
		case "TYPE":
			kb.kind, err = num()
		case "SALT":
			kb.salt, kb.hasSalt = append([]byte{}, v...), true
		case "ITER":
			kb.iter, err = num()
			kb.hasIter = true
		case "DPSL":
			kb.dpsl, kb.hasDPSL = append([]byte{}, v...), true
		case "DPIC":
			kb.dpic, err = num()
			kb.hasDPIC = true
		case "CLAS", "WRAP", "KTYP", "WPKY":
			if cur == nil {
				// The header has a WRAP of its own; class fields before any class UUID
				// belong to no class.
				continue
			}
			switch tag {
			case "CLAS":
				cur.class, err = num()
			case "WRAP":
				cur.wrap, err = num()
			case "KTYP":
				cur.keyType, err = num()
			case "WPKY":
				cur.wpky = append([]byte{}, v...)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if cur != nil {
		if err := kb.add(cur); err != nil {
			return nil, err
		}
	}
	if kb.uuid == nil {
		return nil, fmt.Errorf("keybag: no UUID record")
	}
	if !kb.hasSalt || !kb.hasIter {
		return nil, fmt.Errorf("keybag: no SALT or ITER record")
	}
	if kb.hasDPSL != kb.hasDPIC {
		return nil, fmt.Errorf("keybag: DPSL and DPIC must come together")
	}
	if kb.iter == 0 || (kb.hasDPIC && kb.dpic == 0) {
		return nil, fmt.Errorf("keybag: iteration count 0")
	}
	if len(kb.classes) == 0 {
		return nil, fmt.Errorf("keybag: no protection-class keys")
	}
	return kb, nil
}

func (kb *keybag) add(c *classKey) error {
	if c.class == 0 {
		return fmt.Errorf("keybag: class record without CLAS")
	}
	if _, dup := kb.classes[c.class]; dup {
		return fmt.Errorf("keybag: protection class %d appears twice", c.class)
	}
	kb.classes[c.class] = c
	return nil
}
