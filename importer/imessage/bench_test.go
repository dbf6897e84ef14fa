package imessage

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// BenchmarkImportGenerated imports the sms.db named by CHATVAULT_BENCH_SMSDB (bench/iphone/gen
// writes one); skipped without it.
func BenchmarkImportGenerated(b *testing.B) {
	p := os.Getenv("CHATVAULT_BENCH_SMSDB")
	if p == "" {
		b.Skip("set CHATVAULT_BENCH_SMSDB to an sms.db (bench/iphone/gen)")
	}
	for i := 0; i < b.N; i++ {
		a := archivetest.Open(b)
		rep, err := importer.Run(context.Background(), a, imp{}, importer.LocalSource(filepath.Clean(p)), importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.MessagesAdded)/b.Elapsed().Seconds(), "msgs/s")
	}
}
