// Package wechat benchmarks the WeChat iPhone importer end to end on a generated app folder of
// N messages (default 1,000,000; WECHAT_BENCH_N overrides): 100 chats (every tenth a group with
// "wxid:\n" prefixes) in MM.sqlite and message_1.sqlite, 85% text, 10% links (type 49 XML),
// 5% photos whose files are missing. Run with run.sh, which also measures bench/sqlite's floor
// and peak RSS.
package wechat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/bench/procstat"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/wechat"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
)

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("WECHAT_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// generate writes the app folder at dir with n messages.
func BenchmarkImportIOS(b *testing.B) {
	n := benchN()
	dir := filepath.Join(b.TempDir(), "AppDomain-com.tencent.xin")
	t0 := time.Now()
	if _, err := wechattest.GenerateIOS(dir, n); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d messages in %v", n, time.Since(t0))
	if err := procstat.ResetPeakRSS(); err != nil {
		b.Logf("peak RSS includes the generator's (%v)", err)
	}
	imp, err := importer.ByName("wechat-ios")
	if err != nil {
		b.Fatal(err)
	}
	defer importer.TuneGC()() // as `chatvault import` does (GOGC=100 in the environment: without)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := archive.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprint("archive", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t, cpu := time.Now(), procstat.CPUTime()
		rep, err := importer.Run(context.Background(), a, imp, importer.LocalSource(dir), importer.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if rep.MessagesAdded != n {
			b.Fatalf("added %d, want %d", rep.MessagesAdded, n)
		}
		b.StopTimer()
		b.Logf("imported %d messages in %v (CPU %.1fs), peak RSS of the import %s", n, time.Since(t).Round(time.Millisecond), (procstat.CPUTime() - cpu).Seconds(), procstat.PeakRSS())
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
