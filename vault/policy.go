package vault

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/compression"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/policy"
)

const (
	// DefaultSplitter cuts files into content-defined chunks of about 1 MiB.
	// Kopia's default (DYNAMIC-4M) re-stores a whole 4 MiB chunk when a line
	// is appended to a month file; 1 MiB keeps an append to about 1 MiB of
	// upload while keeping the index small for large media files.
	DefaultSplitter = "DYNAMIC-1M-BUZHASH"

	// DefaultCompressor is used for everything except known compressed
	// formats. zstd (level 3) cut chat JSON 3-5x in our measurements; kopia
	// stores a chunk uncompressed anyway when compression does not shrink it.
	DefaultCompressor = "zstd"
)

// neverCompress lists extensions of already-compressed formats, so their
// chunks skip the compressor entirely (pure CPU saving: kopia would keep
// them uncompressed after trying). Kopia requires this list sorted.
var neverCompress = sortedStrings(
	".7z", ".aac", ".amr", ".apk", ".avi", ".avif", ".br", ".bz2", ".crypt12", ".crypt14", ".crypt15",
	".docx", ".flac", ".gif", ".gz", ".heic", ".heif", ".jpeg", ".jpg", ".m4a", ".m4v", ".mkv",
	".mov", ".mp3", ".mp4", ".ogg", ".opus", ".pdf", ".png", ".rar", ".tgz", ".webm", ".webp",
	".xlsx", ".xz", ".zip", ".zst",
)

func sortedStrings(s ...string) []string {
	sort.Strings(s)
	return s
}

// Retention says which snapshots Forget keeps, per source. A snapshot is
// kept if any rule wants it: the newest KeepLatest, the newest in each of
// the last KeepDaily days, KeepWeekly weeks, and so on. Zero means the rule
// keeps nothing; if all are zero every snapshot is kept.
type Retention struct {
	KeepLatest  int `json:"keepLatest"`
	KeepHourly  int `json:"keepHourly"`
	KeepDaily   int `json:"keepDaily"`
	KeepWeekly  int `json:"keepWeekly"`
	KeepMonthly int `json:"keepMonthly"`
	KeepAnnual  int `json:"keepAnnual"`
}

// DefaultRetention keeps the 10 newest snapshots plus one a day for a week,
// one a week for a month, one a month for a year and one a year for 3 years.
var DefaultRetention = Retention{KeepLatest: 10, KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12, KeepAnnual: 3}

func (r Retention) isZero() bool { return r == Retention{} }

func optInt(n int) *policy.OptionalInt {
	v := policy.OptionalInt(n)
	return &v
}

func (r Retention) kopia() policy.RetentionPolicy {
	f := false

	return policy.RetentionPolicy{
		KeepLatest:  optInt(r.KeepLatest),
		KeepHourly:  optInt(r.KeepHourly),
		KeepDaily:   optInt(r.KeepDaily),
		KeepWeekly:  optInt(r.KeepWeekly),
		KeepMonthly: optInt(r.KeepMonthly),
		KeepAnnual:  optInt(r.KeepAnnual),
		// Keep a new snapshot even when nothing changed: it records that the
		// backup ran, and costs only a manifest.
		IgnoreIdenticalSnapshots: (*policy.OptionalBool)(&f),
	}
}

func retentionFromKopia(p policy.RetentionPolicy) Retention {
	return Retention{
		KeepLatest:  p.KeepLatest.OrDefault(0),
		KeepHourly:  p.KeepHourly.OrDefault(0),
		KeepDaily:   p.KeepDaily.OrDefault(0),
		KeepWeekly:  p.KeepWeekly.OrDefault(0),
		KeepMonthly: p.KeepMonthly.OrDefault(0),
		KeepAnnual:  p.KeepAnnual.OrDefault(0),
	}
}

// globalPolicy is stored as kopia's global policy at Init, so kopia's own CLI
// sees the same settings if someone uses it on the vault.
func globalPolicy(r Retention, splitter, compressor string) (*policy.Policy, error) {
	if _, ok := compression.ByName[compression.Name(compressor)]; !ok && compressor != "none" {
		return nil, fmt.Errorf("unknown compressor %q", compressor)
	}

	p := *policy.DefaultPolicy
	p.RetentionPolicy = r.kopia()
	p.CompressionPolicy = policy.CompressionPolicy{
		CompressorName: compression.Name(compressor),
		NeverCompress:  neverCompress,
	}
	p.SplitterPolicy = policy.SplitterPolicy{Algorithm: splitter}
	// The dump is generated, never a user's folder: no .kopiaignore lookups.
	p.FilesPolicy = policy.FilesPolicy{}

	return &p, nil
}

// parallelReads is the uploader's parallelism when the caller does not say: at least four, or
// one per CPU on larger machines. kopia's uploader keeps one of them walking the folders, so in a
// tree of folders it reads one file fewer at once (TestUploadReadsThreeFilesAtOnce): with its
// default, one per CPU, a 2-core machine read one file at a time. An archive's media are tens
// of thousands of small files, and reading them is bound by the disk's latency, not the CPU: a
// cold first backup of the 1,000,000-message benchmark (50,000 media files) took 17.1-18.3 s
// with kopia's default and 11.6-12.1 s with four, in the same CPU time and peak RSS (214-225
// MB); with a warm cache 7.5-9.4 s and 6.5 s.
func parallelReads(asked int) int {
	if asked > 0 {
		return asked
	}
	return max(4, runtime.NumCPU())
}

// uploadPolicyTree is the policy tree for one backup: the vault's effective
// policy for the source, with compression turned off under each path in
// uncompressed (e.g. "media", whose content-addressed files have no
// extension to go by), and room for reads files read at once (the policy's
// limit, one per CPU by default, caps the uploader's own setting).
func uploadPolicyTree(ctx context.Context, rep repo.Repository, si snapshot.SourceInfo, uncompressed []string, reads int) (*policy.Tree, error) {
	eff, _, _, err := policy.GetEffectivePolicy(ctx, rep, si)
	if err != nil {
		return nil, fmt.Errorf("reading vault policy: %w", err)
	}

	withReads := *eff
	limit := policy.OptionalInt(reads)
	withReads.UploadPolicy.MaxParallelFileReads = &limit
	eff = &withReads

	defined := map[string]*policy.Policy{".": eff}

	for _, p := range uncompressed {
		p = strings.Trim(path.Clean("/"+p), "/")
		if p == "" {
			return nil, fmt.Errorf("uncompressed path %q names the root", p)
		}

		np := *eff
		np.CompressionPolicy.CompressorName = "none"
		defined["./"+p] = &np
	}

	return policy.BuildTree(defined, policy.DefaultPolicy), nil
}

// Retention returns the vault's stored default retention.
func (v *Vault) Retention(ctx context.Context) (Retention, error) {
	ctx = v.kctx(ctx)

	p, err := globalDefinedPolicy(ctx, v.rep)
	if err != nil {
		return Retention{}, err
	}

	return retentionFromKopia(p.RetentionPolicy), nil
}

// globalDefinedPolicy returns the stored global policy, or kopia's default
// for a repository that has none (one not made by Init).
func globalDefinedPolicy(ctx context.Context, rep repo.Repository) (*policy.Policy, error) {
	p, err := policy.GetDefinedPolicy(ctx, rep, policy.GlobalPolicySourceInfo)
	if errors.Is(err, policy.ErrPolicyNotFound) {
		d := *policy.DefaultPolicy
		return &d, nil
	}

	if err != nil {
		return nil, fmt.Errorf("reading vault policy: %w", err)
	}

	return p, nil
}

// SetRetention stores r as the vault's default retention (the one Forget
// applies when given a zero Retention, and kopia's own CLI would apply).
func (v *Vault) SetRetention(ctx context.Context, r Retention) error {
	if err := v.writable(); err != nil {
		return err
	}

	ctx = v.kctx(ctx)

	return repo.WriteSession(ctx, v.rep, repo.WriteSessionOptions{Purpose: "chatvault set retention"},
		func(ctx context.Context, w repo.RepositoryWriter) error {
			p, err := globalDefinedPolicy(ctx, w)
			if err != nil {
				return err
			}

			p.RetentionPolicy = r.kopia()

			return policy.SetPolicy(ctx, w, policy.GlobalPolicySourceInfo, p)
		})
}
