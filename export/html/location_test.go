package html

import (
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// TestLocationOf: a place shows what the source gave, never coordinates it did not.
func TestLocationOf(t *testing.T) {
	at := func(lat, lon float64, l archive.Location) *archive.Location {
		l.Lat, l.Lon = archive.Coords(lat, lon)
		return &l
	}
	for _, tc := range []struct {
		loc         *archive.Location
		label, href string
	}{
		{&archive.Location{Name: "Pimlico Gardens", URL: "https://foursquare.com/v/1"}, "Pimlico Gardens", "https://foursquare.com/v/1"},
		{&archive.Location{URL: "https://maps.app.goo.gl/abc"}, "https://maps.app.goo.gl/abc", "https://maps.app.goo.gl/abc"},
		{&archive.Location{Live: true}, "Live location: Location", ""},
		{&archive.Location{URL: "javascript:alert(1)"}, "Location", ""},
		{at(38.7119, -9.1295, archive.Location{}), "38.71190, -9.12950", "https://www.openstreetmap.org/?mlat=38.711900&mlon=-9.129500#map=16/38.711900/-9.129500"},
		{at(0, 0, archive.Location{Name: "Somewhere"}), "Somewhere", ""},
	} {
		v := locationOf(&archive.Message{Details: &archive.Details{Location: tc.loc}})
		if v.Label != tc.label || v.Href != tc.href || strings.Contains(v.Label, "0.00000") {
			t.Errorf("%+v: label %q href %q, want %q %q", *tc.loc, v.Label, v.Href, tc.label, tc.href)
		}
	}
}
