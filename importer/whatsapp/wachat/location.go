package wachat

import (
	"strconv"
	"strings"
)

// Location shares read
//
//	location: https://maps.google.com/?q=51.50214569326172,-0.12739796972656   Android
//	‎Location: https://maps.google.com/?q=51.5021456,-0.127397                 iOS
//	Standort: https://maps.google.com/?q=50.9425526,6.9523387                  localised
//	Pimlico Gardens (London, United Kingdom): https://foursquare.com/v/4e89... iOS, a named place
//	Pimlico Gardens\nLondon, United Kingdom\nhttps://foursquare.com/v/4e89... Android, a named place
//
// The label is the locale's word for "location"; any label is accepted when
// the link is a map or place link, and a label that is not one of the known
// words is the place's name.

var locationLabels = setOf([]string{
	"location", "standort", "ubicación", "ubicació", "localisation", "posizione", "localização",
	"местоположение", "місцезнаходження", "розташування", "poloha", "位置情報", "位置", "موقع", "الموقع",
	"लोकेशन", "स्थान", "lokasi", "konum", "locatie", "locație", "lokacija", "placering", "plats",
	"posisjon", "położenie", "lokalizacja", "sijainti", "vị trí", "τοποθεσία", "локација", "מיקום",
	"مقام", "موقعیت", "위치", "ตำแหน่งที่ตั้ง", "helyzet", "asukoht", "ligging", "lokasyon", "konum",
})

// mapHosts are the link prefixes (after the scheme) that make a location.
var mapHosts = []string{
	"maps.google.", "www.google.com/maps", "google.com/maps", "goo.gl/maps", "maps.app.goo.gl",
	"maps.apple.com", "foursquare.com/v/", "www.foursquare.com/v/",
}

// parseLocation recognises a location share in a message text (marks
// already removed).
func parseLocation(text string) (*Location, bool) {
	i := strings.Index(text, "http")
	if i < 0 {
		return nil, false
	}
	url := strings.TrimSpace(text[i:])
	if strings.ContainsAny(url, " \n\t") {
		return nil, false // something follows the link: a message that quotes one
	}
	rest := url
	if k := strings.Index(rest, "://"); k >= 0 {
		rest = rest[k+3:]
	} else {
		return nil, false
	}
	isMap := false
	for _, h := range mapHosts {
		if strings.HasPrefix(rest, h) {
			isMap = true
			break
		}
	}
	if !isMap {
		return nil, false
	}
	loc := &Location{URL: url}
	loc.Lat, loc.Lon, loc.HasLatLon = latLon(url)
	before := text[:i]
	switch {
	case strings.HasSuffix(before, ": ") || strings.HasSuffix(before, "："):
		label := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(before), ":："))
		if strings.Contains(label, "\n") || len(label) > 200 {
			return nil, false
		}
		if !locationLabels[strings.ToLower(norm(label))] {
			loc.Name = label
		}
	case before == "":
	case strings.HasSuffix(before, "\n") && strings.Contains(rest, "foursquare.com/"):
		loc.Name = strings.TrimSpace(before)
		if strings.Count(loc.Name, "\n") > 3 {
			return nil, false
		}
	default:
		return nil, false
	}
	return loc, true
}

// latLon reads "q=lat,lon" or "ll=lat,lon" from a map link.
func latLon(url string) (lat, lon float64, ok bool) {
	for _, key := range []string{"?q=", "&q=", "?ll=", "&ll=", "?query=", "&query="} {
		i := strings.Index(url, key)
		if i < 0 {
			continue
		}
		v := url[i+len(key):]
		if j := strings.IndexByte(v, '&'); j >= 0 {
			v = v[:j]
		}
		a, b, found := strings.Cut(v, ",")
		if !found {
			continue
		}
		la, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err1 == nil && err2 == nil && la >= -90 && la <= 90 && lo >= -180 && lo <= 180 {
			return la, lo, true
		}
	}
	return 0, 0, false
}
