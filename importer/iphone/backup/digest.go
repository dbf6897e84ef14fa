package backup

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// RecordsDigest stands for every manifest record in domain whose path starts with prefix: the
// records' paths, flags and file records as stored, none decoded (decoding the NSKeyedArchiver
// records was a second per 50,000 files). A file whose content changes gets a new record (its
// size and modification time are in it), so an unchanged digest means unchanged files. The
// digest is a sum of one SHA-256 per record, so it does not depend on the order rows come in
// and needs no sort.
func (b *Backup) RecordsDigest(domain, prefix string) (string, error) {
	db, err := b.manifestDB()
	if err != nil {
		return "", err
	}
	rows, err := db.Query(`SELECT relativePath, flags, file FROM Files WHERE domain = ?1 AND substr(relativePath, 1, length(?2)) = ?2`, domain, prefix)
	if err != nil {
		return "", fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	defer rows.Close()
	var sum [4]uint64 // little-endian lanes of a 256-bit sum
	var n uint64
	h := sha256.New()
	var one [sha256.Size]byte
	for rows.Next() {
		var p sql.NullString
		var flags sql.NullInt64
		var blob []byte
		if err := rows.Scan(&p, &flags, &blob); err != nil {
			return "", fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
		}
		h.Reset()
		var lens [24]byte
		binary.LittleEndian.PutUint64(lens[0:], uint64(len(p.String)))
		binary.LittleEndian.PutUint64(lens[8:], uint64(flags.Int64))
		binary.LittleEndian.PutUint64(lens[16:], uint64(len(blob)))
		h.Write(lens[:])
		h.Write([]byte(p.String))
		h.Write(blob)
		h.Sum(one[:0])
		var carry uint64
		for i := range sum {
			sum[i], carry = bits.Add64(sum[i], binary.LittleEndian.Uint64(one[8*i:]), carry)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	out := make([]byte, 0, 40)
	for _, lane := range sum {
		out = binary.LittleEndian.AppendUint64(out, lane)
	}
	return fmt.Sprintf("%d:%s", n, hex.EncodeToString(out)), nil
}

// Paths lists the paths of domain's records that match, without decoding a record.
func (b *Backup) Paths(domain string, match func(path string) bool) ([]string, error) {
	db, err := b.manifestDB()
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT relativePath FROM Files WHERE domain = ?`, domain)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p sql.NullString
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
		}
		if match(p.String) {
			out = append(out, p.String)
		}
	}
	return out, rows.Err()
}
