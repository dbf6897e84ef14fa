package backup

import "time"

// Result is what one vault's backup did. It is also the JSON `chatvault backup --json` prints.
type Result struct {
	Vault         string    `json:"vault"`
	OK            bool      `json:"ok"`
	Error         string    `json:"error,omitempty"`
	Snapshot      string    `json:"snapshot,omitempty"`
	Time          time.Time `json:"time"`
	Messages      int       `json:"messages"`
	TotalBytes    int64     `json:"total_bytes"`
	UploadedBytes int64     `json:"uploaded_bytes"`
	DedupRatio    float64   `json:"dedup_ratio,omitempty"`
	Seconds       float64   `json:"seconds"`
	HealedDamage  bool      `json:"healed_damage,omitempty"` // the previous snapshot was damaged; fresh copies were stored

	// Err is the failure behind Error, for the caller to classify (exit statuses).
	Err error `json:"-"`
}
