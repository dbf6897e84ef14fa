package wadb

import (
	"encoding/base64"
	"github.com/chatvault/chatvault/importer"
	"strconv"
)

// maxRaw bounds a message's raw record: the row as JSON, large blobs (thumbnails) summarised.
const (
	maxRaw  = importer.MaxRawBytes
	maxBlob = 256
)

// rawJSON writes a row as a JSON object of its non-NULL columns, in select order.
func rawJSON(r *row) string {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	first := true
	for i, v := range r.vals[:len(r.c.names)] {
		if v == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, r.c.quoted[i]...)
		b = append(b, ':')
		switch x := v.(type) {
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case string:
			b = importer.AppendJSONString(b, x)
		case []byte:
			if len(x) > maxBlob {
				b = append(b, `"<`...)
				b = strconv.AppendInt(b, int64(len(x)), 10)
				b = append(b, ` bytes>"`...)
			} else {
				b = append(b, '"')
				b = base64.StdEncoding.AppendEncode(b, x)
				b = append(b, '"')
			}
		case bool:
			b = strconv.AppendBool(b, x)
		default:
			b = append(b, `null`...)
		}
		if len(b) > maxRaw {
			break
		}
	}
	b = append(b, '}')
	return importer.ClipRaw(b)
}
