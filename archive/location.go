package archive

import (
	"encoding/json"
	"math"
)

// Coords returns coordinates for a Location, or nil, nil when there are none: sources (and
// chatvault before it could say "none") write 0,0 for a place they have no coordinates for, and
// out-of-range values are not a place either. Nobody shares the point at 0,0 in the ocean.
func Coords(lat, lon float64) (*float64, *float64) {
	if lat == 0 && lon == 0 || math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return nil, nil
	}
	return &lat, &lon
}

// LatLon returns the coordinates and whether they are known.
func (l *Location) LatLon() (lat, lon float64, ok bool) {
	if l == nil || l.Lat == nil || l.Lon == nil {
		return 0, 0, false
	}
	return *l.Lat, *l.Lon, true
}

// UnmarshalJSON reads a location as stored; the "lat":0,"lon":0 that older versions stored for
// "no coordinates" (in the archive and in dumps) reads as none.
func (l *Location) UnmarshalJSON(b []byte) error {
	type plain Location
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*l = Location(p)
	if lat, lon, ok := l.LatLon(); ok {
		l.Lat, l.Lon = Coords(lat, lon)
	} else {
		l.Lat, l.Lon = nil, nil // one without the other is no place
	}
	return nil
}
