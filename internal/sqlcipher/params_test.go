package sqlcipher

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Every preset's reserve is what SQLCipher computes and what the notes give (16, 48, 80).
func TestPresetReserves(t *testing.T) {
	want := map[string]int{WeChatAndroid.Name: 16, SQLCipher2.Name: 48, SQLCipher3.Name: 48, SQLCipher4.Name: 80,
		WeChatWindows3.Name: 48, WeChatMac3.Name: 48, WeChat4.Name: 80}
	for _, p := range Presets() {
		if err := p.check(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if p.Reserve != want[p.Name] {
			t.Errorf("%s: reserve %d, want %d", p.Name, p.Reserve, want[p.Name])
		}
	}
}

func TestBadParamsAndInput(t *testing.T) {
	file := bytes.Repeat([]byte{1}, 4096)
	bad := []Params{
		{PageSize: 1000, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1, Reserve: 16},
		{PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1, Reserve: 20},
		{PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1, HMAC: true, HMACHash: SHA512, HMACKDFIter: 2, Reserve: 48},
		{PageSize: 1024, KDF: PBKDF2, KDFHash: 9, KDFIter: 1, Reserve: 16},
		{PageSize: 1024, KDF: 0, KDFHash: SHA1, Reserve: 16},
		{PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 0, Reserve: 16},
		{PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1, Reserve: 16, PlaintextHeader: 32},
	}
	for _, p := range bad {
		if _, err := Open(bytes.NewReader(file), int64(len(file)), []byte("k"), p); err == nil || errors.Is(err, ErrWrongKey) {
			t.Errorf("%v: err = %v, want a parameter error", p, err)
		}
	}
	// Too short, empty key, wrong raw key length, a plain SQLite file.
	if _, err := Open(bytes.NewReader(file[:100]), 100, []byte("k"), WeChatAndroid); err == nil || !strings.Contains(err.Error(), "shorter") {
		t.Errorf("short file: %v", err)
	}
	for _, c := range []struct {
		key []byte
		p   Params
	}{{nil, WeChatAndroid}, {[]byte("short"), WeChatMac3}} {
		if _, err := Open(bytes.NewReader(file), int64(len(file)), c.key, c.p); !errors.Is(err, ErrWrongKey) {
			t.Errorf("key %q with %s: err = %v, want ErrWrongKey", c.key, c.p.Name, err)
		}
	}
	plain := append([]byte(sqliteMagic), make([]byte, 4096)...)
	if _, err := Open(bytes.NewReader(plain), int64(len(plain)), []byte("k"), WeChatAndroid); !errors.Is(err, ErrWrongKey) {
		t.Errorf("plain SQLite file: %v", err)
	}
	if _, err := TryParams(bytes.NewReader(file), int64(len(file)), []byte("k"), []Params{WeChatAndroid, SQLCipher2}); !errors.Is(err, ErrWrongKey) {
		t.Errorf("TryParams over random bytes: %v", err)
	}
}
