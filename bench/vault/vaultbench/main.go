// Command vaultbench measures the vault against kopia's own CLI.
//
//	go run ./bench/vault/vaultbench compare -kopia bin/kopia
//
// generates about 1 GiB of incompressible media files (photo, voice-note and
// video sizes) in the dump's layout, then, on the same files and with the
// same settings (DYNAMIC-1M-BUZHASH splitter, no compression for media,
// both repositories on the local disk, default parallelism):
//
//   - backs them up into a fresh vault through package vault, and into a
//     fresh repository with `kopia snapshot create`;
//   - reads every file of each snapshot back (vault: SnapshotReader and a
//     SHA-256 check against the file's name; kopia: `snapshot verify
//     --verify-files-percent=100`).
//
// Each step runs in its own process; its wall time and peak RSS (from
// wait4's rusage) are reported. See bench/vault/README.md for results.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	vaultbench "github.com/chatvault/chatvault/bench/vault"
	"github.com/chatvault/chatvault/vault"
)

const password = "bench password"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: vaultbench compare|gen|init|backup|restore [flags]")
		os.Exit(2)
	}

	var err error

	switch os.Args[1] {
	case "compare":
		err = compare(os.Args[2:])
	case "gen":
		err = gen(os.Args[2:])
	case "init", "backup", "restore":
		err = step(os.Args[1], os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}

	if err != nil {
		fmt.Fprintln(os.Stderr, "vaultbench:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	data := fs.String("data", filepath.Join(os.TempDir(), "chatvault-bench-media"), "folder for the generated media")
	size := fs.Int64("mib", 1024, "MiB of media to generate")
	_ = fs.Parse(args)

	n, err := vaultbench.GenerateMedia(*data, *size<<20, 1)
	if err == nil {
		fmt.Printf("%d files, %d MiB in %s\n", n, *size, *data)
	}

	return err
}

// result is what a step prints as JSON on its last line of output.
type result struct {
	Seconds      float64 `json:"seconds"`      // the operation itself
	OpenSeconds  float64 `json:"openSeconds"`  // opening the vault (includes the scrypt key slot)
	Bytes        int64   `json:"bytes"`        // logical bytes backed up or read
	Uploaded     int64   `json:"uploaded"`     // bytes written to the vault
	Files        int64   `json:"files"`        // files read back
	SnapshotID   string  `json:"snapshotID"`   //
	HeapPeakMiB  float64 `json:"heapPeakMiB"`  // Go heap in use during the operation
	SelfMaxRSSKB int64   `json:"selfMaxRSSKB"` // VmHWM, as seen by the process
}

// step runs one measured operation in this process (started by compare).
func step(name string, args []string) error {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	src := fs.String("src", "", "folder to back up")
	dir := fs.String("vault", "", "vault folder")
	cache := fs.String("cache", "", "cache folder")
	memlimit := fs.Int64("memlimit-mib", 0, "soft memory limit (like GOMEMLIMIT), 0 for none")
	_ = fs.Parse(args)

	if *memlimit > 0 {
		debug.SetMemoryLimit(*memlimit << 20)
	}

	ctx := context.Background()

	dest, err := vault.ParseDestination(*dir, nil)
	if err != nil {
		return err
	}

	opts := vault.OpenOptions{CacheDir: *cache, Hostname: "bench", Username: "bench"}

	if name == "init" {
		_, err := vault.Init(ctx, dest, password, vault.InitOptions{OpenOptions: opts})
		return err
	}

	t0 := time.Now()

	v, err := vault.Open(ctx, dest, vault.Password(password), opts)
	if err != nil {
		return err
	}
	defer v.Close(ctx)

	var r result

	r.OpenSeconds = time.Since(t0).Seconds()
	t1 := time.Now()
	stopSampling := sampleHeap() // the operation's heap, not the key slot's KDF

	switch name {
	case "backup":
		root, err := vaultbench.LocalTree(*src)
		if err != nil {
			return err
		}

		info, err := v.Backup(ctx, root, vault.BackupOptions{Uncompressed: []string{"media"}})
		if err != nil {
			return err
		}

		r.Bytes, r.Uploaded, r.SnapshotID = info.TotalBytes, info.UploadedBytes, info.ID
	case "restore":
		if err := readAll(ctx, v, &r); err != nil {
			return err
		}
	}

	r.Seconds = time.Since(t1).Seconds()
	r.SelfMaxRSSKB = vmHWM()
	r.HeapPeakMiB = stopSampling()

	if p := os.Getenv("VAULTBENCH_HEAPPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return err
		}

		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			return err
		}

		f.Close()
	}

	return json.NewEncoder(os.Stdout).Encode(r)
}

// readAll streams every file of the latest snapshot out of the vault and
// checks each media file's SHA-256 against its name.
func readAll(ctx context.Context, v *vault.Vault, r *result) error {
	snap, err := v.OpenSnapshot(ctx, "latest")
	if err != nil {
		return err
	}

	r.SnapshotID = snap.Info().ID
	buf := make([]byte, 1<<20)

	return snap.Walk(ctx, "", func(e vault.EntryInfo) error {
		if e.IsDir {
			return nil
		}

		f, _, err := snap.Open(ctx, e.Path)
		if err != nil {
			return err
		}
		defer f.Close()

		h := sha256.New()

		n, err := io.CopyBuffer(h, f, buf)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Path, err)
		}

		if strings.HasPrefix(e.Path, "media/") && hex.EncodeToString(h.Sum(nil)) != path.Base(e.Path) {
			return fmt.Errorf("%s: content does not match its name", e.Path)
		}

		r.Bytes += n
		r.Files++

		return nil
	})
}

// sampleHeap records the peak of the Go heap in use until the returned
// function is called, which returns it in MiB.
func sampleHeap() func() float64 {
	var peak uint64

	done := make(chan struct{})
	stopped := make(chan struct{})

	go func() {
		defer close(stopped)

		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()

		var ms runtime.MemStats

		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)

			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()

	return func() float64 {
		close(done)
		<-stopped

		return float64(peak) / (1 << 20)
	}
}

func vmHWM() int64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			var kb int64
			fmt.Sscan(f[1], &kb)

			return kb
		}
	}

	return 0
}

// measured is a finished child process: wall time and peak RSS.
type measured struct {
	wall   time.Duration
	maxRSS int64 // KiB
	out    []byte
}

func run(env []string, name string, args ...string) (measured, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)

	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	t0 := time.Now()
	err := cmd.Run()
	m := measured{wall: time.Since(t0), out: stdout.Bytes()}

	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}

	if err != nil {
		return m, fmt.Errorf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}

	return m, nil
}

func compare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ExitOnError)
	data := fs.String("data", filepath.Join(os.TempDir(), "chatvault-bench-media"), "folder for the generated media (kept between runs)")
	work := fs.String("work", "", "scratch folder for the vaults (default: a new temp folder)")
	size := fs.Int64("mib", 1024, "MiB of media")
	kopia := fs.String("kopia", "bin/kopia", "kopia CLI built from go.mod's version (go build -o bin/kopia github.com/kopia/kopia)")
	reps := fs.Int("reps", 2, "repetitions; the best time of each side is reported")
	memlimit := fs.Int64("memlimit-mib", 0, "soft memory limit for the vault's processes (0: none)")
	_ = fs.Parse(args)

	kopiaPath, err := filepath.Abs(*kopia)
	if err != nil {
		return err
	}

	if _, err := os.Stat(kopiaPath); err != nil {
		return fmt.Errorf("kopia CLI not found at %s: build it with go build -o bin/kopia github.com/kopia/kopia", kopiaPath)
	}

	n, err := vaultbench.GenerateMedia(*data, *size<<20, 1)
	if err != nil {
		return err
	}

	if *work == "" {
		if *work, err = os.MkdirTemp("", "vaultbench-"); err != nil {
			return err
		}

		defer os.RemoveAll(*work)
	}

	self, err := os.Executable()
	if err != nil {
		return err
	}

	fmt.Printf("data: %d files, %d MiB in %s; %d repetitions\n\n", n, *size, *data, *reps)

	ml := fmt.Sprint(*memlimit)

	var best struct {
		vaultBackup, vaultWhole, kopiaBackup, vaultRead, kopiaRead time.Duration
		vaultBackupRSS, kopiaBackupRSS, vaultReadRSS, kopiaReadRSS int64
		uploaded                                                   int64
	}

	better := func(d *time.Duration, v time.Duration) {
		if *d == 0 || v < *d {
			*d = v
		}
	}

	for rep := range *reps {
		vdir := filepath.Join(*work, fmt.Sprint("vault", rep))
		cache := filepath.Join(*work, fmt.Sprint("cache", rep))

		if _, err := run(nil, self, "init", "-vault", vdir, "-cache", cache); err != nil {
			return err
		}

		bm, br, err := vaultStep(self, "backup", "-src", *data, "-vault", vdir, "-cache", cache, "-memlimit-mib", ml)
		if err != nil {
			return err
		}

		rm, rr, err := vaultStep(self, "restore", "-vault", vdir, "-cache", cache, "-memlimit-mib", ml)
		if err != nil {
			return err
		}

		if rr.Files != int64(n) {
			return fmt.Errorf("restore read %d files, want %d", rr.Files, n)
		}

		kt, krss, kread, kreadRSS, err := kopiaSide(kopiaPath, filepath.Join(*work, fmt.Sprint("kopia", rep)), *data)
		if err != nil {
			return err
		}

		fmt.Printf("rep %d: backup: vault %.2fs (call) %.2fs (process), kopia %.2fs → %.0f%%; read: vault %.2fs, kopia %.2fs\n",
			rep+1, br.Seconds, bm.wall.Seconds(), kt.Seconds(), 100*kt.Seconds()/br.Seconds, rr.Seconds, kread.Seconds())

		better(&best.vaultBackup, seconds(br.Seconds))
		better(&best.vaultWhole, bm.wall)
		better(&best.vaultRead, seconds(rr.Seconds))
		best.vaultBackupRSS = max(best.vaultBackupRSS, bm.maxRSS)
		best.vaultReadRSS = max(best.vaultReadRSS, rm.maxRSS)
		best.uploaded = br.Uploaded

		better(&best.kopiaBackup, kt)
		better(&best.kopiaRead, kread)
		best.kopiaBackupRSS = max(best.kopiaBackupRSS, krss)
		best.kopiaReadRSS = max(best.kopiaReadRSS, kreadRSS)

		os.RemoveAll(vdir)
		os.RemoveAll(cache)
		os.RemoveAll(filepath.Join(*work, fmt.Sprint("kopia", rep)))
	}

	mib := float64(*size)
	rate := func(d time.Duration) float64 { return mib / d.Seconds() }

	fmt.Printf("\nbest of %d:\n%-44s %9s %10s %12s\n", *reps, "", "seconds", "MiB/s", "peak RSS MiB")
	fmt.Printf("%-44s %9.2f %10.1f %12.1f\n", "backup, vault.Backup call", best.vaultBackup.Seconds(), rate(best.vaultBackup), float64(best.vaultBackupRSS)/1024)
	fmt.Printf("%-44s %9.2f %10.1f %12s\n", "backup, vault process (open, slot KDF, backup)", best.vaultWhole.Seconds(), rate(best.vaultWhole), "")
	fmt.Printf("%-44s %9.2f %10.1f %12.1f\n", "backup, kopia snapshot create (process)", best.kopiaBackup.Seconds(), rate(best.kopiaBackup), float64(best.kopiaBackupRSS)/1024)
	fmt.Printf("%-44s %9.2f %10.1f %12.1f\n", "read all, vault SnapshotReader + SHA-256", best.vaultRead.Seconds(), rate(best.vaultRead), float64(best.vaultReadRSS)/1024)
	fmt.Printf("%-44s %9.2f %10.1f %12.1f\n", "read all, kopia snapshot verify 100%", best.kopiaRead.Seconds(), rate(best.kopiaRead), float64(best.kopiaReadRSS)/1024)
	fmt.Printf("\nvault backup throughput = %.0f%% of kopia CLI's (call), %.0f%% (whole process); uploaded %d MiB\n",
		100*best.kopiaBackup.Seconds()/best.vaultBackup.Seconds(), 100*best.kopiaBackup.Seconds()/best.vaultWhole.Seconds(), best.uploaded>>20)

	return nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// vaultStep runs one step of this program in a child process.
func vaultStep(self string, args ...string) (measured, result, error) {
	m, err := run(nil, self, args...)
	if err != nil {
		return m, result{}, err
	}

	var r result
	if err := json.Unmarshal(m.out, &r); err != nil {
		return m, r, fmt.Errorf("%s output %q: %w", args[0], m.out, err)
	}

	return m, r, nil
}

// kopiaSide creates a repository with the vault's settings, snapshots src
// with kopia's CLI and reads it all back with snapshot verify.
func kopiaSide(kopia, dir, src string) (backup time.Duration, backupRSS int64, read time.Duration, readRSS int64, err error) {
	env := []string{
		"KOPIA_PASSWORD=" + password,
		"KOPIA_CONFIG_PATH=" + filepath.Join(dir, "config", "repository.config"),
		"KOPIA_CACHE_DIRECTORY=" + filepath.Join(dir, "cache"),
		"KOPIA_LOG_DIR=" + filepath.Join(dir, "logs"),
		"KOPIA_CHECK_FOR_UPDATES=false",
		"KOPIA_PERSIST_CREDENTIALS_ON_CONNECT=false",
	}

	if _, err = run(env, kopia, "repository", "create", "filesystem", "--path", filepath.Join(dir, "repo"),
		"--object-splitter", vault.DefaultSplitter); err != nil {
		return
	}

	// Same as the vault for media: no compression (kopia's default policy).
	if _, err = run(env, kopia, "policy", "set", "--global", "--compression", "none"); err != nil {
		return
	}

	m, err := run(env, kopia, "snapshot", "create", src, "--no-progress")
	if err != nil {
		return
	}

	backup, backupRSS = m.wall, m.maxRSS

	m, err = run(env, kopia, "snapshot", "verify", "--verify-files-percent=100")
	if err != nil {
		return
	}

	return backup, backupRSS, m.wall, m.maxRSS, nil
}
