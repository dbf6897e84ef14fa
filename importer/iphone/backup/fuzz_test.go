package backup

import (
	"slices"
	"testing"

	"howett.net/plist"
)

func FuzzKeybag(f *testing.F) {
	f.Add(bag(append(header(), class(1, 2)...)...))
	f.Add(bag(append(append(header(), class(3, 3)...), class(4, 2)...)...))
	f.Add([]byte("UUID\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, b []byte) {
		kb, err := parseKeybag(b)
		if err != nil {
			return
		}
		if kb.uuid == nil || len(kb.classes) == 0 {
			t.Fatalf("accepted keybag without UUID or classes")
		}
		// Unwrapping with any key must fail or succeed cleanly, never panic.
		_ = kb.unlockClasses(make([]byte, 32))
	})
}

func mbFileSeed(t testing.TB, root map[string]any, extra ...any) []byte {
	objects := append([]any{"$null", root}, extra...)
	b, err := plist.Marshal(map[string]any{
		"$archiver": "NSKeyedArchiver", "$version": 100000,
		"$top": map[string]any{"root": plist.UID(1)}, "$objects": objects,
	}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzMBFile(f *testing.F) {
	f.Add(mbFileSeed(f, map[string]any{"Size": 9, "Mode": 33188, "LastModified": 1600000000, "ProtectionClass": 3,
		"RelativePath": plist.UID(2), "EncryptionKey": plist.UID(3)},
		"Media/Test.txt", map[string]any{"NS.data": make([]byte, 44)}))
	// NS.data through a further UID, as in pyiosbackup's test backup.
	f.Add(mbFileSeed(f, map[string]any{"Size": 1, "EncryptionKey": plist.UID(2)},
		map[string]any{"NS.data": plist.UID(3)}, make([]byte, 44)))
	f.Add(mbFileSeed(f, map[string]any{"Mode": 41453, "Target": plist.UID(2)}, "/var/x"))
	f.Add(mbFileSeed(f, map[string]any{"Size": plist.UID(1)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMBFile(b)
		if err != nil {
			return
		}
		if m.Size < 0 {
			t.Fatalf("negative size %d", m.Size)
		}
		if _, err := makeFile("x", "d", "p", 1, b); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzInfoPlists(f *testing.F) {
	info, _ := plist.Marshal(map[string]any{"Device Name": "x", "Product Version": "17.0", "Installed Applications": []string{"a"}}, plist.BinaryFormat)
	xml, _ := plist.Marshal(map[string]any{"Last Backup Date": "not a date", "Product Type": 5}, plist.XMLFormat)
	manifest, _ := plist.Marshal(map[string]any{"IsEncrypted": true, "BackupKeyBag": bag(append(header(), class(1, 2)...)...),
		"Lockdown": map[string]any{"DeviceName": "y"}, "Applications": map[string]any{"b": 1}}, plist.BinaryFormat)
	f.Add(info, manifest, []byte("{Date = 1;}"))
	f.Add(xml, []byte("bplist00"), []byte{})
	f.Fuzz(func(t *testing.T, info, manifest, status []byte) {
		in, mp, kb, err := parsePlists(info, manifest, status)
		if err != nil {
			return
		}
		if mp.IsEncrypted != (kb != nil) || in.Encrypted != mp.IsEncrypted {
			t.Fatalf("encrypted %v / %v with keybag %v", in.Encrypted, mp.IsEncrypted, kb != nil)
		}
		if !slices.IsSorted(in.Apps) {
			t.Fatalf("apps not sorted: %v", in.Apps)
		}
	})
}
