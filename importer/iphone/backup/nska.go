package backup

import (
	"fmt"
	"math"

	"howett.net/plist"
)

// mbFile is the part of an MBFile record (the Manifest.db "file" column) that the reader uses.
type mbFile struct {
	Size            int64
	Mode            uint32 // st_mode, file type bits included
	LastModified    int64  // Unix seconds
	ProtectionClass uint32
	EncryptionKey   []byte // 4-byte LE class + wrapped key; nil for plain files
	Target          string // symlink target
	RelativePath    string
}

// maxRecord bounds one file record; real ones are well under 2 KiB.
const maxRecord = 1 << 20

// decodeMBFile reads an NSKeyedArchiver binary plist holding one MBFile. The archive is a dict
// with $archiver "NSKeyedArchiver", $top {root: UID} and $objects, a flat array in which
// objects refer to each other by UID (index). Only the fields above are resolved.
func decodeMBFile(b []byte) (mbFile, error) {
	var m mbFile
	if len(b) > maxRecord {
		return m, fmt.Errorf("file record: %d bytes is larger than %d", len(b), maxRecord)
	}
	var top map[string]any
	if err := decodePlist(b, "file record", &top); err != nil {
		return m, err
	}
	if a, _ := top["$archiver"].(string); a != "NSKeyedArchiver" {
		return m, fmt.Errorf("file record: $archiver is %q, want NSKeyedArchiver", a)
	}
	objects, ok := top["$objects"].([]any)
	if !ok {
		return m, fmt.Errorf("file record: no $objects array")
	}
	t, _ := top["$top"].(map[string]any)
	rootRef, ok := t["root"].(plist.UID)
	if !ok {
		return m, fmt.Errorf("file record: no $top root UID")
	}
	ar := archive(objects)
	root, ok := ar.resolve(rootRef).(map[string]any)
	if !ok {
		return m, fmt.Errorf("file record: root object %d is not a dictionary", rootRef)
	}
	var err error
	num := func(key string, max uint64) uint64 {
		if err != nil {
			return 0
		}
		v, present := root[key]
		if !present {
			return 0
		}
		var n uint64
		n, err = toUint(ar.resolve(v), key, max)
		return n
	}
	m.Size = int64(num("Size", math.MaxInt64))
	m.Mode = uint32(num("Mode", math.MaxUint32))
	m.LastModified = int64(num("LastModified", math.MaxInt64))
	m.ProtectionClass = uint32(num("ProtectionClass", math.MaxUint32))
	if err != nil {
		return m, err
	}
	if v, present := root["EncryptionKey"]; present {
		if m.EncryptionKey, err = ar.data(v); err != nil {
			return m, fmt.Errorf("file record: EncryptionKey: %w", err)
		}
	}
	if v, present := root["Target"]; present {
		if m.Target, err = ar.str(v); err != nil {
			return m, fmt.Errorf("file record: Target: %w", err)
		}
	}
	if v, present := root["RelativePath"]; present {
		if m.RelativePath, err = ar.str(v); err != nil {
			return m, fmt.Errorf("file record: RelativePath: %w", err)
		}
	}
	return m, nil
}

type archive []any

// resolve follows UIDs into $objects. Chains are bounded so a UID cycle cannot loop; "$null"
// (object 0) resolves to nil.
func (a archive) resolve(v any) any {
	for range 8 {
		u, ok := v.(plist.UID)
		if !ok {
			break
		}
		if uint64(u) >= uint64(len(a)) {
			return nil
		}
		v = a[u]
	}
	if s, ok := v.(string); ok && s == "$null" {
		return nil
	}
	if _, ok := v.(plist.UID); ok {
		return nil
	}
	return v
}

// data reads NSData: raw bytes, or an NSData/NSMutableData dict whose NS.data holds the bytes
// directly or through one more UID (both forms are seen).
func (a archive) data(v any) ([]byte, error) {
	switch x := a.resolve(v).(type) {
	case []byte:
		return x, nil
	case map[string]any:
		if b, ok := a.resolve(x["NS.data"]).([]byte); ok {
			return b, nil
		}
		return nil, fmt.Errorf("NSData without NS.data bytes")
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("unexpected %T", x)
	}
}

// str reads an NSString: a plain string, or an NSString/NSMutableString dict with NS.string.
func (a archive) str(v any) (string, error) {
	switch x := a.resolve(v).(type) {
	case string:
		return x, nil
	case map[string]any:
		if s, ok := a.resolve(x["NS.string"]).(string); ok {
			return s, nil
		}
		return "", fmt.Errorf("NSString without NS.string")
	case nil:
		return "", nil
	default:
		return "", fmt.Errorf("unexpected %T", x)
	}
}

func toUint(v any, key string, max uint64) (uint64, error) {
	var n uint64
	switch x := v.(type) {
	case uint64:
		n = x
	case int64:
		if x < 0 {
			return 0, fmt.Errorf("file record: %s is negative (%d)", key, x)
		}
		n = uint64(x)
	case float64:
		if x < 0 || x > float64(max) || x != math.Trunc(x) {
			return 0, fmt.Errorf("file record: %s is not a whole number in range (%v)", key, x)
		}
		n = uint64(x)
	case nil:
		return 0, nil
	default:
		return 0, fmt.Errorf("file record: %s is %T, want a number", key, v)
	}
	if n > max {
		return 0, fmt.Errorf("file record: %s %d out of range", key, n)
	}
	return n, nil
}
