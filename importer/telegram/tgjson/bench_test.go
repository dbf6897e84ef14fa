package tgjson

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkRead reads a 32 MB export from memory and reports messages per second.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if _, err := writeExport(&buf, 32<<20, 2000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var total int
	for i := 0; i < b.N; i++ {
		r := NewReader(bytes.NewReader(data), Options{})
		for {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if it.Kind == KindMessage {
				total++
			}
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "msgs/s")
}
