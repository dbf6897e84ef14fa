package wcdb

import "google.golang.org/protobuf/encoding/protowire"

// Field is one length-delimited protobuf field, for building blobs (tests, benchmarks).
type Field struct {
	Num   int
	Value []byte
}

// Encode builds a protobuf message of length-delimited fields, in order.
func Encode(fs ...Field) []byte {
	var b []byte
	for _, f := range fs {
		b = protowire.AppendTag(b, protowire.Number(f.Num), protowire.BytesType)
		b = protowire.AppendBytes(b, f.Value)
	}
	return b
}
