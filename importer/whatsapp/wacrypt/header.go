package wacrypt

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Format is the container version of a backup.
type Format int

const (
	Crypt12 Format = 12
	Crypt14 Format = 14 // BackupPrefix header with the key file's salts
	Crypt15 Format = 15 // BackupPrefix header of an end-to-end backup
)

func (f Format) String() string { return "crypt" + strconv.Itoa(int(f)) }

// KeyType is the kind of key a crypt14/15 header says the backup needs (the
// key type fields of BackupPrefix; names after WhatsApp's own).
type KeyType int

const (
	KeyTypeWAProvided   KeyType = 0 // crypt12/14: the key file on the phone
	KeyTypeE2EE         KeyType = 1 // end-to-end, written before the kinds were told apart
	KeyTypeE2EEPassword KeyType = 2 // end-to-end, key released by WhatsApp's servers for a password
	KeyTypeE2EEKey      KeyType = 3 // end-to-end with the 64-digit key
	KeyTypeE2EEPasskey  KeyType = 4 // end-to-end, key released by WhatsApp's servers for a passkey
)

const (
	maxPlausibleHeader = 64 << 10 // real BackupPrefix headers are under 300 bytes
	crypt12HeaderLen   = 67
	ivLen              = 16
)

func (k KeyType) String() string {
	switch k {
	case KeyTypeWAProvided:
		return "WhatsApp-provided key"
	case KeyTypeE2EE:
		return "end-to-end"
	case KeyTypeE2EEPassword:
		return "end-to-end, password"
	case KeyTypeE2EEKey:
		return "end-to-end, 64-digit key"
	case KeyTypeE2EEPasskey:
		return "end-to-end, passkey"
	}
	return "key type " + strconv.Itoa(int(k))
}

// Header is what a backup says about itself before its ciphertext.
type Header struct {
	Format Format
	Len    int    // bytes before the ciphertext
	IV     []byte // the 16-byte GCM nonce

	KeyType      KeyType // crypt14/15; KeyTypeWAProvided for crypt12
	KeyVersion   string  // crypt12/14: the key file's version ("2")
	ServerSalt   []byte  // crypt12/14: must match the key file
	GoogleIDSalt []byte  // crypt12/14: must match the key file

	// From the header's backup metadata (crypt14/15), when present.
	AppVersion    string // WhatsApp version that wrote the backup, "2.22.5.13"
	JIDSuffix     string // last two digits of the owner's number; crypt12 keeps it in the trailer (set by Decrypt)
	BackupVersion int64
	ExportSize    int64 // size of the backup file as WhatsApp recorded it, 0 if absent
	// Features are the metadata's flag fields (numbers 5-37, 39 and up):
	// which schema migrations the database had run, e.g. 10 message_main,
	// 14 message_media, 28 migration_jid_store.
	Features map[int]bool

	// Passkey is set when the header carries passkey encryption metadata.
	Passkey bool
}

// NeedsServer reports a backup protected by a password or a passkey, whose
// key WhatsApp's servers release only to the app. Only encrypted_backup.key
// taken from the phone itself can open such a backup offline.
func (h *Header) NeedsServer() bool {
	return h.Passkey || h.KeyType == KeyTypeE2EEPassword || h.KeyType == KeyTypeE2EEPasskey
}

// ReadHeader reads the header of a backup and leaves r at the first byte of
// the ciphertext. An unknown or damaged header gives ErrUnknownFormat, a
// file that ends inside it ErrTruncated, and a passkey backup without a
// nonce ErrNeedsServer (all wrapped with detail).
func ReadHeader(r io.Reader) (*Header, error) {
	h, _, err := readHeader(r)
	return h, err
}

// readHeader also returns the header's bytes, which the MD5 trailer covers.
func readHeader(r io.Reader) (*Header, []byte, error) {
	raw := make([]byte, 1, 256)
	if err := readFull(r, raw); err != nil {
		return nil, nil, cut(err, "empty file")
	}
	if raw[0] == 0 {
		return readCrypt12(r, raw)
	}
	// crypt14/15: the BackupPrefix length as a protobuf varint. A reader
	// that takes one length byte and an optional 0x01 "features" byte sees
	// the same thing for lengths 128..255, the only ones seen in the wild.
	var length uint64
	for i := 0; ; i++ {
		b := raw[len(raw)-1]
		length |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			break
		}
		if i == 2 || length > maxPlausibleHeader {
			return nil, nil, fmt.Errorf("%w: header length field % x is too large", ErrUnknownFormat, raw)
		}
		raw = append(raw, 0)
		if err := readFull(r, raw[len(raw)-1:]); err != nil {
			return nil, nil, cut(err, "in the header length")
		}
	}
	if length == 0 || length > maxPlausibleHeader {
		return nil, nil, fmt.Errorf("%w: header length %d", ErrUnknownFormat, length)
	}
	start := len(raw)
	raw = append(raw, make([]byte, length)...)
	if err := readFull(r, raw[start:]); err != nil {
		return nil, nil, cut(err, fmt.Sprintf("inside the %d-byte header", length))
	}
	if raw[start] == 0x01 && length < 0x80 {
		// A one-byte length followed by a features byte. 0x01 cannot
		// start a protobuf message (field number 0), so this is no guess.
		raw = append(raw, 0)
		if err := readFull(r, raw[len(raw)-1:]); err != nil {
			return nil, nil, cut(err, "inside the header")
		}
		start++
	}
	h, err := parsePrefix(raw[start:])
	if err != nil {
		return nil, nil, err
	}
	h.Len = len(raw)
	return h, raw, nil
}

func readCrypt12(r io.Reader, raw []byte) (*Header, []byte, error) {
	raw = append(raw, make([]byte, crypt12HeaderLen-1)...)
	if err := readFull(r, raw[1:]); err != nil {
		return nil, nil, cut(err, fmt.Sprintf("inside the %d-byte crypt12 header", crypt12HeaderLen))
	}
	if raw[1] != 0x01 {
		return nil, nil, fmt.Errorf("%w: starts % x; a crypt12 backup starts 00 01", ErrUnknownFormat, raw[:2])
	}
	h := &Header{
		Format:       Crypt12,
		Len:          crypt12HeaderLen,
		KeyType:      KeyTypeWAProvided,
		KeyVersion:   strconv.Itoa(int(raw[2])),
		ServerSalt:   raw[3:35],
		GoogleIDSalt: raw[35:51],
		IV:           raw[51:67],
	}
	return h, raw, nil
}

// readFull is io.ReadFull that reports any short read as io.ErrUnexpectedEOF.
func readFull(r io.Reader, b []byte) error {
	_, err := io.ReadFull(r, b)
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// cut names where a short read hit the header; other read errors pass on.
func cut(err error, where string) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s", ErrTruncated, where)
	}
	return fmt.Errorf("reading the header: %w", err)
}
