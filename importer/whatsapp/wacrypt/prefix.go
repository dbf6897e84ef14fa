package wacrypt

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// BackupPrefix fields (proto3; numbers as WhatsApp writes them).
const (
	prefixKeyType    = 1 // KeyType, older builds
	prefixC14        = 2 // crypt14: cipher version, key version, salts, IV
	prefixC15        = 3 // crypt15: IV
	prefixInfo       = 4 // app version, owner's number suffix, feature flags
	prefixPasskey    = 5 // passkey encryption metadata
	prefixKeyTypeNew = 6 // KeyType, current builds

	c14KeyVersion   = 2
	c14ServerSalt   = 3
	c14GoogleIDSalt = 4
	c14IV           = 5

	c15IV = 1

	infoAppVersion    = 1
	infoJIDSuffix     = 3
	infoBackupVersion = 4
	infoExportSize    = 38
)

// field is one decoded protobuf field: v for varints, b for bytes.
type field struct {
	num protowire.Number
	typ protowire.Type
	v   uint64
	b   []byte
}

// fields decodes a protobuf message into its top-level fields, skipping
// fixed-width and group fields, and fails on anything malformed.
func fields(b []byte, fn func(f field) error) error {
	for off := 0; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("at byte %d: %v", off, protowire.ParseError(n))
		}
		f := field{num: num, typ: typ}
		var m int
		switch typ {
		case protowire.VarintType:
			f.v, m = protowire.ConsumeVarint(b[n:])
		case protowire.BytesType:
			f.b, m = protowire.ConsumeBytes(b[n:])
		default:
			m = protowire.ConsumeFieldValue(num, typ, b[n:])
		}
		if m < 0 {
			return fmt.Errorf("field %d at byte %d: %v", num, off, protowire.ParseError(m))
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("field %d at byte %d: %w", num, off, err)
		}
		b = b[n+m:]
		off += n + m
	}
	return nil
}

func (f field) want(t protowire.Type) error {
	if f.typ != t {
		return fmt.Errorf("wire type %d, expected %d", f.typ, t)
	}
	return nil
}

func parsePrefix(b []byte) (*Header, error) {
	h := &Header{}
	var c14, c15 bool
	keyType, keyTypeNew := int64(-1), int64(-1)
	err := fields(b, func(f field) error {
		switch f.num {
		case prefixKeyType, prefixKeyTypeNew:
			if err := f.want(protowire.VarintType); err != nil {
				return err
			}
			if f.num == prefixKeyType {
				keyType = int64(int32(f.v))
			} else {
				keyTypeNew = int64(int32(f.v))
			}
		case prefixC14:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
			c14 = true
			return parseC14(h, f.b)
		case prefixC15:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
			c15 = true
			return fields(f.b, func(g field) error {
				if g.num == c15IV {
					if err := g.want(protowire.BytesType); err != nil {
						return err
					}
					h.IV = g.b
				}
				return nil
			})
		case prefixInfo:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
			return parseInfo(h, f.b)
		case prefixPasskey:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
			h.Passkey = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrUnknownFormat, err)
	}
	switch {
	case keyTypeNew >= 0:
		h.KeyType = KeyType(keyTypeNew)
	case keyType >= 0:
		h.KeyType = KeyType(keyType)
	}
	switch {
	case c14 && c15:
		return nil, fmt.Errorf("%w: header holds both crypt14 and crypt15 key data", ErrUnknownFormat)
	case c14:
		h.Format = Crypt14
	case c15:
		h.Format = Crypt15
	case h.NeedsServer():
		return nil, fmt.Errorf("%w (header %s, no nonce for an offline key)", ErrNeedsServer, h.KeyType)
	default:
		return nil, fmt.Errorf("%w: header has neither crypt14 nor crypt15 key data", ErrUnknownFormat)
	}
	if len(h.IV) != ivLen {
		if len(h.IV) == 0 && h.NeedsServer() {
			return nil, fmt.Errorf("%w (header %s, no nonce for an offline key)", ErrNeedsServer, h.KeyType)
		}
		return nil, fmt.Errorf("%w: %s header: IV of %d bytes, expected %d", ErrUnknownFormat, h.Format, len(h.IV), ivLen)
	}
	return h, nil
}

func parseC14(h *Header, b []byte) error {
	return fields(b, func(f field) error {
		switch f.num {
		case c14KeyVersion, c14ServerSalt, c14GoogleIDSalt, c14IV:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
		}
		switch f.num {
		case c14KeyVersion:
			h.KeyVersion = string(f.b)
		case c14ServerSalt:
			h.ServerSalt = f.b
		case c14GoogleIDSalt:
			h.GoogleIDSalt = f.b
		case c14IV:
			h.IV = f.b
		}
		return nil
	})
}

func parseInfo(h *Header, b []byte) error {
	return fields(b, func(f field) error {
		switch {
		case f.num == infoAppVersion || f.num == infoJIDSuffix:
			if err := f.want(protowire.BytesType); err != nil {
				return err
			}
			if f.num == infoAppVersion {
				h.AppVersion = string(f.b)
			} else {
				h.JIDSuffix = string(f.b)
			}
		case f.typ != protowire.VarintType:
			// Fields of other types are not known: skip.
		case f.num == infoBackupVersion:
			h.BackupVersion = int64(f.v)
		case f.num == infoExportSize:
			h.ExportSize = int64(f.v)
		case f.num > infoBackupVersion:
			if h.Features == nil {
				h.Features = make(map[int]bool)
			}
			h.Features[int(f.num)] = f.v != 0
		}
		return nil
	})
}
