package archive

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLocationCoordinates: absent coordinates stay absent through JSON (the archive's details
// column and the dump), and the 0,0 older versions stored for "none" reads as none.
func TestLocationCoordinates(t *testing.T) {
	for _, tc := range []struct {
		stored   string
		lat, lon float64
		known    bool
	}{
		{`{"lat":38.7119,"lon":-9.1295,"url":"https://maps.google.com/?q=38.7119,-9.1295"}`, 38.7119, -9.1295, true},
		{`{"lat":0,"lon":32.5}`, 0, 32.5, true}, // on the equator: a real place
		{`{"lat":0,"lon":0,"url":"https://foursquare.com/v/1"}`, 0, 0, false},
		{`{"url":"https://foursquare.com/v/1"}`, 0, 0, false},
		{`{"lat":12.5}`, 0, 0, false}, // one without the other is no place
		{`{"lat":95,"lon":10}`, 0, 0, false},
	} {
		var l Location
		if err := json.Unmarshal([]byte(tc.stored), &l); err != nil {
			t.Fatal(err)
		}
		lat, lon, ok := l.LatLon()
		if ok != tc.known || lat != tc.lat || lon != tc.lon {
			t.Errorf("%s: read %v,%v known %v", tc.stored, lat, lon, ok)
		}
		b, _ := json.Marshal(&l)
		var again Location
		json.Unmarshal(b, &again)
		if la, lo, ok2 := again.LatLon(); ok2 != ok || la != lat || lo != lon {
			t.Errorf("%s: written as %s, reads back %v,%v known %v", tc.stored, b, la, lo, ok2)
		}
		if !ok && (strings.Contains(string(b), `"lat"`) || strings.Contains(string(b), `"lon"`)) {
			t.Errorf("%s: no coordinates written as %s", tc.stored, b)
		}
	}
}
